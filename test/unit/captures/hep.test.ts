// Issue 13, HEP: the parser (HEPv3/EEP, HEPv1/v2, every generic chunk, unknown chunks, gzip bounded), the encoder
// the forwarder uses (a round trip), the synthetic frames, and the fuzz of every parser of outside bytes here.
import zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeHep3, expandIpv6 } from '../../../main/captures/hep/hep-encode.ts';
import { looksLikeSip } from '../../../main/captures/hep/hep-forwarder.ts';
import { hep3Length, maxHepPayload, parseHep, type HepMessage } from '../../../main/captures/hep/hep-parse.ts';
import { SyntheticFrames } from '../../../main/captures/hep/synthetic-frame.ts';
import { TransportTap } from '../../../main/captures/transport-tap.ts';
import type { TransportPacket } from '../../../main/captures/transport-packet.ts';
import { bytes, cpuMs, fuzz, mutated } from '../../support/fuzz.ts';

const invite = Buffer.from('INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: abc@1\r\nContent-Length: 0\r\n\r\n');

const base = {
  protocol: 17,
  src: '192.0.2.1',
  dst: '198.51.100.2',
  sport: 5060,
  dport: 5070,
  timestampUs: 1_700_000_000_123_456,
  payloadType: 1,
  captureId: 2001,
  payload: invite,
};

function message(b: Buffer | null): HepMessage {
  expect(b).not.toBeNull();
  const parsed = parseHep(b!);
  if (parsed.kind !== 'message') throw new Error(`dropped: ${parsed.reason}`);
  return parsed.message;
}

/** A HEPv3 message from raw chunks [vendor, type, value], as a foreign agent might order them. */
function hep3(chunks: [number, number, Buffer][]): Buffer {
  const body = Buffer.concat(
    chunks.map(([vendor, type, value]) => {
      const h = Buffer.alloc(6);
      h.writeUInt16BE(vendor, 0);
      h.writeUInt16BE(type, 2);
      h.writeUInt16BE(6 + value.length, 4);
      return Buffer.concat([h, value]);
    }),
  );
  const head = Buffer.from('HEP3\0\0', 'latin1');
  head.writeUInt16BE(6 + body.length, 4);
  return Buffer.concat([head, body]);
}
const u8 = (v: number) => Buffer.from([v]);
const u16 = (v: number) => Buffer.from([v >> 8, v & 255]);
const u32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v);
  return b;
};

describe('HEPv3', () => {
  it('round-trips every field the encoder writes (IPv4, UDP, auth key, correlation id, node name)', () => {
    const m = message(encodeHep3({ ...base, authKey: 'secret', correlationId: 'corr-1', nodeName: 'kamailio-1' }));
    expect(m).toMatchObject({
      version: 3,
      family: 4,
      protocol: 17,
      src: '192.0.2.1',
      dst: '198.51.100.2',
      sport: 5060,
      dport: 5070,
      timestampUs: base.timestampUs,
      payloadType: 1,
      captureId: 2001,
      authKey: 'secret',
      correlationId: 'corr-1',
      nodeName: 'kamailio-1',
    });
    expect(m.payload.equals(invite)).toBe(true);
  });

  it('round-trips IPv6 and TCP', () => {
    const m = message(encodeHep3({ ...base, protocol: 6, src: '2001:db8::1', dst: '::ffff:10.0.0.1' }));
    expect(m).toMatchObject({ family: 6, protocol: 6, src: '2001:db8::1', dst: '::ffff:a00:1' });
    expect(expandIpv6('::ffff:10.0.0.1')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0001]);
  });

  it('reads chunks in any order, skips vendor and unknown chunks by length, and takes a 16-bit agent id and VLAN', () => {
    const m = message(
      hep3([
        [0, 15, invite],
        [0x0003, 99, Buffer.from('vendor-specific')],
        [0, 200, Buffer.alloc(40, 7)],
        [0, 8, u16(5070)],
        [0, 7, u16(5060)],
        [0, 4, Buffer.from([10, 0, 0, 2])],
        [0, 3, Buffer.from([10, 0, 0, 1])],
        [0, 2, u8(17)],
        [0, 1, u8(2)],
        [0, 9, u32(1_700_000_000)],
        [0, 10, u32(42)],
        [0, 12, u16(7)],
        [0, 18, u16(100)],
        [0, 13, u16(30)],
        [0, 14, Buffer.from('key\0')],
        [0, 19, Buffer.from('node-a')],
        [0, 20, Buffer.alloc(8)],
      ]),
    );
    expect(m).toMatchObject({ src: '10.0.0.1', dst: '10.0.0.2', captureId: 7, vlan: 100, authKey: 'key', nodeName: 'node-a' });
    expect(m.timestampUs).toBe(1_700_000_000_000_042);
  });

  it('accepts the EEP1 magic, and ignores bytes after the declared length', () => {
    const b = encodeHep3(base)!;
    const eep = Buffer.concat([Buffer.from('EEP1'), b.subarray(4), Buffer.from('trailing')]);
    expect(message(eep).payload.equals(invite)).toBe(true);
  });

  it('inflates a compressed payload (gzip and zlib), refusing one that inflates past 64 KiB', () => {
    const head: [number, number, Buffer][] = [
      [0, 1, u8(2)],
      [0, 3, Buffer.from([10, 0, 0, 1])],
      [0, 4, Buffer.from([10, 0, 0, 2])],
    ];
    expect(message(hep3([...head, [0, 16, zlib.gzipSync(invite)]])).payload.equals(invite)).toBe(true);
    expect(message(hep3([...head, [0, 16, zlib.deflateSync(invite)]])).payload.equals(invite)).toBe(true);
    const bomb = zlib.gzipSync(Buffer.alloc(maxHepPayload + 1));
    expect(parseHep(hep3([...head, [0, 16, bomb]]))).toEqual({ kind: 'drop', reason: 'compressedTooLarge' });
    expect(parseHep(hep3([...head, [0, 16, Buffer.from('not gzip')]]))).toEqual({ kind: 'drop', reason: 'malformed' });
  });

  it('names every drop: cut short, a chunk past the end, no payload, a keepalive, no addresses, not HEP', () => {
    const good = encodeHep3(base)!;
    expect(parseHep(good.subarray(0, good.length - 1))).toEqual({ kind: 'drop', reason: 'malformed' });
    const bad = Buffer.from(good);
    bad.writeUInt16BE(2000, 6 + 4); // the first chunk claims more than the message holds
    expect(parseHep(bad)).toEqual({ kind: 'drop', reason: 'malformed' });
    expect(parseHep(hep3([[0, 1, u8(2)]]))).toEqual({ kind: 'drop', reason: 'noPayload' });
    expect(parseHep(hep3([[0, 13, u16(30)]]))).toEqual({ kind: 'drop', reason: 'keepalive' });
    expect(parseHep(hep3([[0, 15, invite]]))).toEqual({ kind: 'drop', reason: 'malformed' });
    expect(parseHep(Buffer.from('GET / HTTP/1.1\r\n'))).toEqual({ kind: 'drop', reason: 'unsupported' });
    expect(hep3Length(good)).toBe(good.length);
  });
});

describe('HEPv1/v2', () => {
  /** As Kamailio's siptrace writes them: the time header in host (little-endian) order, padded to 12 bytes. */
  function hep12(version: 1 | 2, v6: boolean): Buffer {
    const a = v6 ? 16 : 4;
    const h = Buffer.alloc(8 + 2 * a + (version === 2 ? 12 : 0));
    h[0] = version;
    h[1] = 8 + 2 * a;
    h[2] = v6 ? 10 : 2;
    h[3] = 17;
    h.writeUInt16BE(5060, 4);
    h.writeUInt16BE(5070, 6);
    if (v6) {
      h[8 + 15] = 1;
      h[8 + a + 15] = 2;
    } else {
      Buffer.from([10, 0, 0, 1]).copy(h, 8);
      Buffer.from([10, 0, 0, 2]).copy(h, 12);
    }
    if (version === 2) {
      h.writeUInt32LE(1_700_000_000, 8 + 2 * a);
      h.writeUInt32LE(250_000, 12 + 2 * a);
      h.writeUInt16LE(0x1234, 16 + 2 * a);
    }
    return Buffer.concat([h, invite]);
  }

  it('reads HEPv2 with its time header and capture id, IPv4 and IPv6', () => {
    expect(message(hep12(2, false))).toMatchObject({
      version: 2,
      src: '10.0.0.1',
      dst: '10.0.0.2',
      sport: 5060,
      dport: 5070,
      timestampUs: 1_700_000_000_250_000,
      captureId: 0x1234,
    });
    expect(message(hep12(2, true))).toMatchObject({ family: 6, src: '::1', dst: '::2' });
    expect(message(hep12(2, false)).payload.equals(invite)).toBe(true);
  });

  it('reads HEPv1 (no time: stamped on arrival by the receiver)', () => {
    const m = message(hep12(1, false));
    expect(m).toMatchObject({ version: 1, timestampUs: null, src: '10.0.0.1' });
    expect(m.payload.equals(invite)).toBe(true);
  });
});

/** The one packet the tap finds in an Ethernet frame, or null. */
function decodeOne(tap: TransportTap, frame: Buffer, timestampNs: bigint): TransportPacket | null {
  let found: TransportPacket | null = null;
  tap.decode('agent', 1, frame, timestampNs, (p) => {
    found = p;
  });
  return found;
}

describe('synthetic frames', () => {
  it('build Ethernet/IPv4/UDP and Ethernet/IPv6/TCP that the transport tap reads back exactly', () => {
    const frames = new SyntheticFrames();
    const tap = new TransportTap();
    for (const m of [base, { ...base, protocol: 6, src: '2001:db8::1', dst: '2001:db8::2' }]) {
      const frame = Buffer.from(frames.build(m)!);
      const p = decodeOne(tap, frame, BigInt(m.timestampUs) * 1000n);
      expect(p).toMatchObject({
        src: m.src,
        dst: m.dst,
        sport: 5060,
        dport: 5070,
        transport: m.protocol === 6 ? 'tcp' : 'udp',
        ts: m.timestampUs,
      });
      expect(p!.payload.equals(invite)).toBe(true);
    }
  });

  it('advance the TCP sequence number by the payload, per flow', () => {
    const frames = new SyntheticFrames();
    const tcp = { ...base, protocol: 6 };
    const seqAt = 14 + 20 + 4;
    const first = frames.build(tcp)!.readUInt32BE(seqAt);
    expect(frames.build(tcp)!.readUInt32BE(seqAt)).toBe(first + invite.length);
  });

  it('refuse a payload that cannot fit one IP packet', () => {
    expect(new SyntheticFrames().build({ ...base, payload: Buffer.alloc(65_530) })).toBeNull();
  });
});

describe('SIP detection for forwarding', () => {
  it('knows a request line and a status line, and nothing else', () => {
    expect(looksLikeSip(invite)).toBe(true);
    expect(looksLikeSip(Buffer.from('SIP/2.0 200 OK\r\n\r\n'))).toBe(true);
    expect(looksLikeSip(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n'))).toBe(false);
    expect(looksLikeSip(Buffer.from([0x80, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]))).toBe(false);
  });
});

describe('fuzz: HEP', () => {
  const v3 = encodeHep3({ ...base, authKey: 'k', nodeName: 'n' })!;
  const compressed = hep3([
    [0, 1, u8(2)],
    [0, 3, Buffer.from([10, 0, 0, 1])],
    [0, 4, Buffer.from([10, 0, 0, 2])],
    [0, 16, zlib.gzipSync(invite)],
  ]);
  it('parseHep never throws; a message payload lies within the input (or is at most 64 KiB inflated)', () => {
    fuzz(
      fc.property(fc.oneof(bytes(600), mutated(v3), mutated(compressed)), (input) => {
        const parsed = parseHep(input);
        if (parsed.kind === 'drop') return;
        expect(parsed.message.payload.length).toBeLessThanOrEqual(Math.max(input.length, maxHepPayload));
        expect(Number.isSafeInteger(parsed.message.timestampUs ?? 0)).toBe(true);
        expect([4, 6]).toContain(parsed.message.family);
      }),
    );
  });

  it('every message parsed becomes a frame that reads back as the same packet (or is refused as too large)', () => {
    const frames = new SyntheticFrames();
    const tap = new TransportTap();
    fuzz(
      fc.property(fc.oneof(mutated(v3), mutated(compressed)), (input) => {
        const parsed = parseHep(input);
        if (parsed.kind === 'drop') return;
        const m = parsed.message;
        const frame = frames.build(m);
        if (!frame) return expect(m.payload.length).toBeGreaterThan(65_000);
        const back = decodeOne(tap, Buffer.from(frame), 0n);
        if (m.protocol !== 6 && m.protocol !== 17 && m.protocol !== 132) return; // other protocols are written as UDP frames
        expect(back).toMatchObject({ src: m.src, dst: m.dst, sport: m.sport, dport: m.dport });
        expect(back!.payload.equals(m.payload)).toBe(true);
      }),
    );
  });

  it('a 64 KiB message of the smallest chunks parses in linear time', () => {
    const many = hep3(Array.from({ length: 10_000 }, () => [0, 999, Buffer.alloc(0)] as [number, number, Buffer]));
    expect(many.length).toBeLessThanOrEqual(0xffff);
    expect(cpuMs(() => parseHep(many))).toBeLessThan(50);
  });
});
