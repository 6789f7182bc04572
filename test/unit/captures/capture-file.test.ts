import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { openCaptureFile, readCapture, readCaptureFile } from '../../../main/captures/capture-file.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { rotatedName } from '../../../main/captures/file-output.ts';
import { enhancedPacketBlock, interfaceDescriptionBlock, sectionHeaderBlock } from '../../../main/captures/pcapng-blocks.ts';

function pcap(bigEndian: boolean, nanoseconds: boolean, frames: Buffer[]): Buffer {
  const w32 = (b: Buffer, at: number, v: number) => (bigEndian ? b.writeUInt32BE(v, at) : b.writeUInt32LE(v, at));
  const header = Buffer.alloc(24);
  w32(header, 0, nanoseconds ? 0xa1b23c4d : 0xa1b2c3d4);
  w32(header, 20, 101);
  return Buffer.concat([
    header,
    ...frames.map((f, i) => {
      const r = Buffer.alloc(16);
      w32(r, 0, 1_700_000_000 + i);
      w32(r, 4, 250);
      w32(r, 8, f.length);
      w32(r, 12, f.length + 100);
      return Buffer.concat([r, f]);
    }),
  ]);
}

describe('capture file reader', () => {
  const frames = [Buffer.from('45000014', 'hex'), Buffer.from('4500001400', 'hex')];

  it('reads pcap in both byte orders, with µs and ns stamps, and stops at a truncated last record', () => {
    for (const bigEndian of [false, true]) {
      for (const ns of [false, true]) {
        const file = pcap(bigEndian, ns, frames);
        const read = [...readCapture(Buffer.concat([file, Buffer.from([1, 2, 3])]))];
        expect(read.map((p) => p.data.toString('hex'))).toEqual(frames.map((f) => f.toString('hex')));
        expect(read[0]).toMatchObject({
          linktype: 101,
          originalLength: 104,
          timestampNs: 1_700_000_000_000_000_000n + (ns ? 250n : 250_000n),
        });
      }
    }
  });

  it('reads pcapng with interfaces of different link types and its nanosecond stamps', () => {
    const file = Buffer.concat([
      sectionHeaderBlock('test'),
      interfaceDescriptionBlock(1, 'a', 'a'),
      interfaceDescriptionBlock(127, 'b', 'b'),
      enhancedPacketBlock(1, 5n, Buffer.from('abcde')),
      enhancedPacketBlock(0, 6n, Buffer.from('xyz'), 1000),
    ]);
    expect([...readCapture(file)].map((p) => [p.linktype, p.timestampNs, p.data.toString(), p.originalLength])).toEqual([
      [127, 5n, 'abcde', 5],
      [1, 6n, 'xyz', 1000],
    ]);
  });

  it('streams a file larger than its read window, packets straddling the chunk boundaries intact', () => {
    const frames = Array.from({ length: 7000 }, (_, i) => Buffer.alloc(1400 + (i % 97), i % 256));
    const file = path.join(tempDir(), 'big.pcap');
    writeFileSync(file, pcap(false, false, frames));
    const read = [...readCaptureFile(file)];
    expect(read).toHaveLength(7000);
    read.forEach((p, i) => {
      if (!p.data.equals(frames[i]!)) throw new Error(`packet ${i} differs`);
    });
  });

  it('the cursor with one reused window reads a file larger than it, frames straddling refills intact, µs exact', () => {
    const frames = Array.from({ length: 7000 }, (_, i) => Buffer.alloc(1400 + (i % 97), i % 256));
    const dir = tempDir();
    const file = path.join(dir, 'big.pcap');
    writeFileSync(file, pcap(false, false, frames));
    const cursor = openCaptureFile(file, { reuseWindow: true });
    let n = 0;
    try {
      while (cursor.next()) {
        if (!cursor.data().equals(frames[n]!)) throw new Error(`packet ${n} differs`);
        expect(cursor.timestampUs).toBe((1_700_000_000 + n) * 1_000_000 + 250);
        n++;
      }
    } finally {
      cursor.close();
    }
    expect(n).toBe(7000);
    // Nanosecond pcapng stamps: µs rounded down exactly, where a Number of the nanoseconds would be off by one.
    const ns = path.join(dir, 'ns.pcapng');
    const stamp = 1_765_000_000_123_456_999n;
    writeFileSync(
      ns,
      Buffer.concat([sectionHeaderBlock('t'), interfaceDescriptionBlock(1, 'a', 'a'), enhancedPacketBlock(0, stamp, Buffer.from('x'))]),
    );
    const c = openCaptureFile(ns);
    expect(c.next()).toBe(true);
    expect(c.timestampUs).toBe(Number(stamp / 1000n));
    expect(c.timestampNs).toBe(stamp);
    c.close();
  });

  it('a file that breaks midway ends the walk with where and why; the generators throw only where bytes stop being records', () => {
    const stopOf = (bytes: Buffer) => {
      const file = path.join(tempDir(), 'broken.cap');
      writeFileSync(file, bytes);
      const cursor = openCaptureFile(file);
      let n = 0;
      while (cursor.next()) n++;
      cursor.close();
      return { n, packets: cursor.packets, stop: cursor.stop };
    };
    const blocks = [
      sectionHeaderBlock('t'),
      interfaceDescriptionBlock(1, 'a', 'a'),
      enhancedPacketBlock(0, 1n, Buffer.from('abcd')),
      enhancedPacketBlock(0, 2n, Buffer.from('efgh')),
    ];
    const whole = Buffer.concat(blocks);
    const lastAt = whole.length - blocks[3]!.length;
    expect(stopOf(whole)).toEqual({ n: 2, packets: 2, stop: null });
    // Cut short inside the last block: quiet for the generators (a killed writer leaves this), named for Calls.
    expect(stopOf(whole.subarray(0, whole.length - 3))).toMatchObject({
      n: 1,
      stop: {
        byte: lastAt,
        packet: 2,
        cutShort: true,
        reason: `the file ends ${blocks[3]!.length - 3} bytes into a block of ${blocks[3]!.length} bytes (cut short)`,
      },
    });
    expect([...readCapture(whole.subarray(0, whole.length - 3))]).toHaveLength(1);
    // The trailing copy of the length disagrees: not a block; the generators hand out the packet before, then throw.
    const mismatched = Buffer.from(whole);
    mismatched.writeUInt32LE(999, whole.length - 4);
    const { stop } = stopOf(mismatched);
    expect(stop).toMatchObject({ byte: lastAt, packet: 2, cutShort: false });
    expect(stop!.text).toBe(
      `stopped at byte ${lastAt} (packet 2): the block's length is ${blocks[3]!.length} at its start but 999 at its end — the 1 packet before it was read`,
    );
    const read: string[] = [];
    expect(() => {
      for (const p of readCapture(mismatched)) read.push(p.data.toString());
    }).toThrow(/at its start but 999 at its end/);
    expect(read).toEqual(['abcd']);
  });

  it('refuses what is not a capture', () => {
    expect(() => [...readCapture(Buffer.from('hello, world, this is text'))]).toThrow(/not a pcap or pcapng/);
  });

  it('names rotated files the way dumpcap does', () => {
    expect(rotatedName('/x/cap.pcapng', 7, new Date(2026, 0, 2, 3, 4, 5))).toBe('/x/cap_00007_20260102030405.pcapng');
    expect(rotatedName('/x/cap', 1, new Date(2026, 0, 2, 3, 4, 5))).toBe('/x/cap_00001_20260102030405.pcapng');
  });
});
