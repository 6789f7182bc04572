// Deliver 7 of issue 11: every parser of outside bytes in captures, fuzzed with fast-check (shared seed and
// budget, test/support/fuzz.ts) on arbitrary and mutated-valid input. Each must return or fail with its own
// clear error, inside the time limit, without allocating for lengths the input only declares.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaptureFileError, readCapture, readCaptureFile } from '../../../main/captures/capture-file.ts';
import { decapFile } from '../../../main/captures/decap.ts';
import { FragmentReassembler, type IpPacket } from '../../../main/captures/ip-fragments.ts';
import { summarize } from '../../../main/captures/packet-summary.ts';
import { enhancedPacketBlock, interfaceDescriptionBlock, sectionHeaderBlock } from '../../../main/captures/pcapng-blocks.ts';
import { buildTzsp, parseTzsp } from '../../../main/captures/tzsp.ts';
import { bytes, fuzz, fuzzSeed, mutated } from '../../support/fuzz.ts';
import { pcapFile } from '../../support/pcap-file.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { arpRequest, ethernet, ethernetDns, ipv4, radiotapProbe, rawIcmp, udp } from '../../integration/captures/frames.ts';

const dir = tempDir();
/** ArrayBuffer bytes (what Buffer allocations count against), so a declared length that allocates shows. */
const arrayBuffers = () => process.memoryUsage().arrayBuffers;
const megabytes = 1024 * 1024;

const tzspValid = buildTzsp(ethernetDns, {
  encapsulation: 1,
  packetId: 9,
  originalLength: 1514,
  sensorMac: Buffer.from('020000000001', 'hex'),
  deviceName: 'edge-1',
  timestamp: { seconds: 1_700_000_000, nanoseconds: 5 },
});

describe('fuzz: TZSP datagrams', () => {
  it('parseTzsp never throws; a frame is the tail of the datagram and a name is printable ASCII', () => {
    fuzz(
      fc.property(fc.oneof(bytes(600), mutated(tzspValid)), (datagram) => {
        const parsed = parseTzsp(datagram);
        expect(['frame', 'control', 'malformed']).toContain(parsed.kind);
        if (parsed.kind !== 'frame') return;
        expect(parsed.frame.length).toBeGreaterThan(0);
        expect(parsed.frame.byteOffset + parsed.frame.length).toBe(datagram.byteOffset + datagram.length);
        if (parsed.deviceName !== undefined) expect(parsed.deviceName).toMatch(/^[\x20-\x7e]{1,255}$/);
        if (parsed.sensorMac !== undefined) expect([17, 23]).toContain(parsed.sensorMac.length);
      }),
    );
  });
});

describe('fuzz: packet summary', () => {
  const valid: [number, Buffer][] = [
    [1, arpRequest],
    [1, ethernetDns],
    [101, rawIcmp],
    [127, radiotapProbe],
  ];
  it('summarize never throws and answers a bounded line, on any link type', () => {
    fuzz(
      fc.property(
        fc.oneof(
          fc.tuple(fc.constantFrom(0, 1, 101, 105, 127, 147), bytes(2000)),
          fc.constantFrom(...valid).chain(([linktype, frame]) => mutated(frame).map((m) => [linktype, m] as [number, Buffer])),
        ),
        ([linktype, frame]) => {
          const line = summarize(linktype, frame);
          for (const field of [line.src, line.dst, line.protocol, line.info]) expect(typeof field).toBe('string');
          expect(line.info.length).toBeLessThan(20_000);
        },
      ),
    );
  });
});

describe('fuzz: IP fragment reassembly', () => {
  const piece = fc.record({
    src: fc.constantFrom('a', 'b', 'c'),
    dst: fc.constant('d'),
    protocol: fc.constant(17),
    id: fc.integer({ min: 0, max: 3 }),
    offset: fc.oneof(
      fc.integer({ min: 0, max: 4000 }).map((n) => n * 8),
      fc.integer({ min: 0, max: 0x1fff }).map((n) => n * 8),
    ),
    more: fc.boolean(),
    payload: fc.oneof(fc.integer({ min: 0, max: 1480 }), fc.constantFrom(0, 8, 65_535)).map((n) => Buffer.alloc(n, 0xab)),
  }) satisfies fc.Arbitrary<IpPacket>;

  it('overlapping, never-completed and out-of-range pieces never throw, never rebuild past 65,535 bytes, and state stays bounded', () => {
    fuzz(
      fc.property(fc.array(fc.tuple(piece, fc.integer({ min: 0, max: 100_000 })), { maxLength: 300 }), (pieces) => {
        const r = new FragmentReassembler({ maxBytes: 256 * 1024, maxDatagrams: 8, perSource: 4 });
        let now = 0;
        for (const [p, step] of pieces) {
          now += step;
          const whole = r.add(p, now);
          if (whole) expect(whole.length).toBeLessThanOrEqual(65_535);
        }
        const { orphans, dropped } = r.stats();
        expect(orphans + dropped).toBeLessThanOrEqual(pieces.length);
        expect(orphans).toBeLessThanOrEqual(pieces.length);
      }),
      { runs: 100 },
    );
  });
});

describe('fuzz: pcap and pcapng input', () => {
  const pcapValid = pcapFile([arpRequest, ethernetDns, rawIcmp], 1);
  const pcapngValid = Buffer.concat([
    sectionHeaderBlock('fuzz'),
    interfaceDescriptionBlock(1, 'eth0', 'fuzz'),
    interfaceDescriptionBlock(101, 'ip', 'fuzz'),
    enhancedPacketBlock(0, 1_700_000_000_000_000_000n, arpRequest),
    enhancedPacketBlock(1, 1_700_000_000_000_000_001n, rawIcmp),
  ]);

  /** Every packet, or a CaptureFileError: nothing else may escape, and what comes out lies inside the input. */
  const readAll = (input: Buffer): number => {
    let packets = 0;
    try {
      for (const p of readCapture(input)) {
        expect(p.data.length).toBeLessThanOrEqual(input.length);
        packets++;
      }
    } catch (error) {
      expect(error).toBeInstanceOf(CaptureFileError);
    }
    return packets;
  };

  it('readCapture on arbitrary and mutated files: packets inside the input or a CaptureFileError, and no loop on zero-length blocks', () => {
    fuzz(
      fc.property(fc.oneof(bytes(1024), mutated(pcapValid), mutated(pcapngValid)), (input) => {
        expect(readAll(input)).toBeLessThanOrEqual(input.length / 12);
      }),
    );
  });

  it('a file whose lengths claim gigabytes is refused or ends, without allocating them', () => {
    const hugeRecord = Buffer.from(pcapValid);
    hugeRecord.writeUInt32LE(0xfffffff0, 24 + 8); // the first record claims 4 GB
    const hugeBlock = Buffer.from(pcapngValid);
    const idbAt = sectionHeaderBlock('fuzz').length;
    hugeBlock.writeUInt32LE(0xfffffff0, idbAt + 4); // the first IDB claims 4 GB
    const justPastEnd = Buffer.from(pcapValid);
    justPastEnd.writeUInt32LE(60 * megabytes, 24 + 8); // under the limit, past the end of the file
    for (const [name, bytes] of [
      ['record', hugeRecord],
      ['block', hugeBlock],
      ['past-end', justPastEnd],
    ] as const) {
      const file = path.join(dir, `huge-${name}.cap`);
      // Bytes after the lie, more than one read window: a reader that trusts the length starts filling 4 GB.
      writeFileSync(file, Buffer.concat([bytes, Buffer.alloc(5 * megabytes)]));
      const before = arrayBuffers();
      let peak = before;
      let error: unknown = null;
      try {
        for (const _ of readCaptureFile(file)) peak = Math.max(peak, arrayBuffers());
      } catch (e) {
        error = e;
      }
      peak = Math.max(peak, arrayBuffers());
      expect(peak - before, name).toBeLessThan(16 * megabytes);
      if (error) expect(error, name).toBeInstanceOf(CaptureFileError);
    }
  });

  it('a pcapng of 70,000 tiny interface blocks stops at the interface limit with a clear error', () => {
    const idb = interfaceDescriptionBlock(1, '', '');
    const many = Buffer.concat([sectionHeaderBlock('fuzz'), Buffer.concat(Array.from({ length: 70_000 }, () => idb))]);
    expect(() => [...readCapture(many)]).toThrow(/more than 65536 interfaces/);
  });

  it('decap on mutated captures of TZSP (fragments, IPv4, names) fails only with an Error that says why, and bounds what it writes', async () => {
    const tzsp = (name: string) => udp(40000, 37008, buildTzsp(arpRequest, { encapsulation: 1, deviceName: name }));
    const big = udp(40000, 37008, buildTzsp(Buffer.alloc(1600, 5), { encapsulation: 1 }));
    const ip = ipv4(17, '192.0.2.1', '192.0.2.9', big);
    const first = Buffer.from(ip.subarray(0, 20 + 1480));
    first.writeUInt16BE(20 + 1480, 2);
    first.writeUInt16BE(0x2000, 6);
    const second = Buffer.concat([ip.subarray(0, 20), ip.subarray(20 + 1480)]);
    second.writeUInt16BE(second.length, 2);
    second.writeUInt16BE(1480 / 8, 6);
    const valid = pcapFile(
      [
        ethernet(0x0800, ipv4(17, '192.0.2.1', '192.0.2.9', tzsp('a'))),
        ethernet(0x0800, ipv4(17, '192.0.2.2', '192.0.2.9', tzsp('b'))),
        ethernet(0x0800, second),
        ethernet(0x0800, first),
      ],
      1,
    );
    let run = 0;
    let decoded = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated(valid), bytes(512)), async (input) => {
        const file = path.join(dir, `decap-${run}.pcap`);
        const out = path.join(dir, `decap-${run++}.pcapng`);
        writeFileSync(file, input);
        try {
          const result = await decapFile(file, out, 37008);
          expect(result.packets + result.skipped + result.malformed).toBeLessThanOrEqual(input.length / 16);
          expect(result.interfaces.length).toBeLessThanOrEqual(result.packets);
          if (result.packets > 0) decoded++;
        } catch (error) {
          expect(error).toBeInstanceOf(CaptureFileError);
        }
      }),
      { seed: fuzzSeed, numRuns: 60, interruptAfterTimeLimit: 20_000, markInterruptAsFailure: true },
    );
    expect(decoded).toBeGreaterThanOrEqual(5); // the mutations reach past the file header into TZSP
  });
});
