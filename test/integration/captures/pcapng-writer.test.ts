import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../../main/captures/capture-file.ts';
import { FileOutput } from '../../../main/captures/file-output.ts';
import { PcapngSession, type SessionPacket } from '../../../main/captures/pcapng-session.ts';
import { StreamOutput } from '../../../main/captures/stream-output.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { arpRequest, ethernetDns, radiotapProbe, rawIcmp } from './frames.ts';
import { capinfos, capinfosInterfaces, tshark, tsharkRead } from './tshark.ts';

const dir = tempDir();

const packets: SessionPacket[] = [
  { sensor: '192.0.2.7', linktype: 1, encapsulation: 1, frame: arpRequest, timestampNs: 1_700_000_000_123_456_789n },
  { sensor: '192.0.2.8 (edge)', linktype: 101, encapsulation: 7, frame: rawIcmp, timestampNs: 1_700_000_001_000_000_001n },
  { sensor: '192.0.2.7', linktype: 127, encapsulation: 126, frame: radiotapProbe, timestampNs: 1_700_000_002_000_000_000n },
  { sensor: '192.0.2.7', linktype: 1, encapsulation: 1, frame: ethernetDns, originalLength: 1514, timestampNs: 1_700_000_003_999_999_999n },
];

async function writeFile(name: string, list: SessionPacket[]): Promise<string> {
  const file = path.join(dir, name);
  const session = new PcapngSession();
  const output = new FileOutput({ path: file });
  session.attach(output);
  for (const p of list) session.write(p);
  await output.close();
  return file;
}

describe.skipIf(!tshark || !capinfos)('pcapng writer, judged by tshark', () => {
  it('writes the same bytes, the right link type and one interface per (sensor, link type)', async () => {
    const file = await writeFile('mixed.pcapng', packets);
    const read = tsharkRead(file);
    expect(read).toHaveLength(4);
    read.forEach((p, i) => expect(p.raw.equals(packets[i]!.frame), `packet ${i} bytes`).toBe(true));
    expect(read.map((p) => p.interfaceId)).toEqual([0, 1, 2, 0]);
    expect(read.map((p) => p.interfaceName)).toEqual(['192.0.2.7', '192.0.2.8 (edge) ip', '192.0.2.7 radiotap', '192.0.2.7']);
    expect(read[0]!.protocols).toBe('eth:ethertype:arp');
    expect(read[1]!.protocols).toBe('raw:ip:icmp:data');
    expect(read[2]!.protocols).toMatch(/^radiotap:wlan_radio:wlan/);
    expect(read[3]!.protocols).toBe('eth:ethertype:ip:udp:dns');
    const info = capinfosInterfaces(file);
    expect(info.count).toBe(3);
    expect(info.encapsulations).toEqual(['1', '7', '23']); // wtap encapsulations: ether, rawip, ieee-802-11-radiotap
  });

  it('keeps nanosecond timestamps and the original length from tag 41', async () => {
    const read = tsharkRead(await writeFile('times.pcapng', packets));
    expect(read.map((p) => p.epoch)).toEqual([
      '1700000000.123456789',
      '1700000001.000000001',
      '1700000002.000000000',
      '1700000003.999999999',
    ]);
    expect(read[3]).toMatchObject({ length: 1514, capturedLength: ethernetDns.length });
    expect(read[0]).toMatchObject({ length: arpRequest.length, capturedLength: arpRequest.length });
  });

  it('adds interfaces mid-stream: an output attached late starts with every known interface', async () => {
    const session = new PcapngSession();
    session.write(packets[0]!); // no output yet: the interface is still registered
    const file = path.join(dir, 'late.pcapng');
    const output = new FileOutput({ path: file });
    session.attach(output);
    for (const p of packets.slice(1)) session.write(p);
    await output.close();
    const read = tsharkRead(file);
    expect(read.map((p) => p.interfaceName)).toEqual(['192.0.2.8 (edge) ip', '192.0.2.7 radiotap', '192.0.2.7']);
    expect(capinfosInterfaces(file).count).toBe(3);
  });

  it('rotates by size into complete files and keeps a ring of the newest N', async () => {
    const sub = path.join(dir, 'ring');
    const session = new PcapngSession();
    const output = new FileOutput({ path: path.join(sub, 'cap.pcapng'), rotateBytes: 2000, ring: 3 });
    session.attach(output);
    for (let i = 0; i < 100; i++) session.write({ ...packets[i % 4]!, timestampNs: 1_700_000_000_000_000_000n + BigInt(i) });
    await output.close();
    await new Promise((r) => setTimeout(r, 50));
    const files = readdirSync(sub).sort();
    expect(files).toHaveLength(3);
    expect(files.every((f) => /^cap_\d{5}_\d{14}\.pcapng$/.test(f))).toBe(true);
    expect(output.files().map((f) => path.basename(f))).toEqual(files);
    for (const f of files) {
      const read = tsharkRead(path.join(sub, f));
      expect(read.length).toBeGreaterThan(0);
      expect(capinfosInterfaces(path.join(sub, f)).count).toBe(3);
    }
    expect(output.stats()).toMatchObject({ packets: 100, drops: 0 });
  });

  it('rotates by time even while no packet arrives', async () => {
    const sub = path.join(dir, 'timed');
    const session = new PcapngSession();
    const output = new FileOutput({ path: path.join(sub, 'cap.pcapng'), rotateSeconds: 1 });
    session.attach(output);
    session.write(packets[0]!);
    await new Promise((r) => setTimeout(r, 1600));
    await output.close();
    const files = readdirSync(sub).sort();
    expect(files).toHaveLength(2);
    expect(tsharkRead(path.join(sub, files[0]!))).toHaveLength(1);
    expect(capinfosInterfaces(path.join(sub, files[1]!)).count).toBe(1); // the new file starts with every interface
  });

  it('reads its own files back with the capture-file reader', async () => {
    const file = await writeFile('roundtrip.pcapng', packets);
    const read = [...readCaptureFile(file)];
    expect(read.map((p) => p.linktype)).toEqual([1, 101, 127, 1]);
    expect(read.map((p) => p.timestampNs)).toEqual(packets.map((p) => p.timestampNs));
    read.forEach((p, i) => expect(p.data.equals(packets[i]!.frame)).toBe(true));
    expect(read[3]!.originalLength).toBe(1514);
  });
});

describe('reused buffers', () => {
  // Packet blocks are built in one scratch buffer and copied into pooled chunks that are reused once written:
  // every packet must still land whole, in order, across many chunk refills, with two outputs at once.
  it('writes 20,000 distinct packets intact through two file outputs', async () => {
    const session = new PcapngSession();
    const files = ['reuse-a.pcapng', 'reuse-b.pcapng'].map((f) => path.join(dir, f));
    const outputs = files.map((file) => new FileOutput({ path: file }));
    for (const output of outputs) session.attach(output);
    const frame = (i: number) => Buffer.alloc(60 + (i % 1400), i % 251).fill(i & 0xff, 0, 1);
    for (let i = 0; i < 20_000; i++) {
      session.write({ sensor: `s${i % 7}`, linktype: 1, encapsulation: 1, frame: frame(i), timestampNs: BigInt(i) });
      if (i % 1000 === 0) await new Promise((r) => setImmediate(r)); // let writes complete, so chunks go back to the pool
    }
    await Promise.all(outputs.map((o) => o.close()));
    for (const file of files) {
      const read = [...readCaptureFile(file)];
      expect(read).toHaveLength(20_000);
      read.forEach((p, i) => {
        if (p.timestampNs !== BigInt(i) || !p.data.equals(frame(i))) throw new Error(`${file}: packet ${i} differs`);
      });
    }
    expect(outputs.map((o) => o.stats())).toEqual([
      expect.objectContaining({ packets: 20_000, drops: 0 }),
      expect.objectContaining({ packets: 20_000, drops: 0 }),
    ]);
  });
});

describe('bounded buffering', () => {
  it('drops and counts packets when the reader stalls, instead of growing without bound', async () => {
    const stalled = new Writable({ highWaterMark: 1024, write: () => undefined }); // never calls back
    const output = new StreamOutput(stalled, { label: 'stalled', limitBytes: 64 * 1024 });
    const session = new PcapngSession();
    session.attach(output);
    for (let i = 0; i < 10_000; i++) {
      session.write({ ...packets[0]!, timestampNs: BigInt(i) });
      if (i % 100 === 0) await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setImmediate(r));
    const stats = output.stats();
    expect(stats.packets + stats.drops).toBe(10_000);
    expect(stats.drops).toBeGreaterThan(8_000);
    expect(stalled.writableLength).toBeLessThanOrEqual(64 * 1024 + 8 * 1024);
    stalled.destroy();
  });
});
