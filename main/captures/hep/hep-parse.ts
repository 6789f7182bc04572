// HEP (HOMER Encapsulation Protocol) as Kamailio, OpenSIPS, FreeSWITCH and captagent send it: HEPv3/EEP ("HEP3"
// + chunks) and the older fixed headers of HEPv1/v2. Every datagram is outside input: one pass over the chunks,
// each bounded by its own length and the message's, unknown chunks skipped by length, a compressed payload
// inflated to at most the largest payload a HEP message can carry.
import zlib from 'node:zlib';
import { ipv4Text, ipv6Text } from '../address-text.ts';

export interface HepMessage {
  version: 1 | 2 | 3;
  /** 4 or 6, from the family chunk, else from the address chunks present. */
  family: 4 | 6;
  /** IP protocol of the carried packet: 17 UDP, 6 TCP, 132 SCTP. */
  protocol: number;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  /** Capture time in µs since the epoch, or null when the sender gave none (HEPv1). */
  timestampUs: number | null;
  /** Chunk 11: 1 SIP, 5 RTCP as JSON, 100 log… (HEPv1/v2 carry SIP). */
  payloadType: number;
  /** Chunk 12 (HEPv2: the 16-bit capture id); 0 when absent. */
  captureId: number;
  authKey: string | null;
  correlationId: string | null;
  /** Chunk 19, the node name or group some agents send. */
  nodeName: string | null;
  vlan: number | null;
  payload: Buffer;
}

export type HepDropReason = 'malformed' | 'unsupported' | 'noPayload' | 'compressedTooLarge' | 'keepalive';

export type HepParse = { kind: 'message'; message: HepMessage } | { kind: 'drop'; reason: HepDropReason };

/** A HEPv3 message's own length field is 16 bits, so no payload (compressed or not) can honestly exceed it. */
export const maxHepPayload = 65_535;
export const hepDefaultPort = 9060;

const hep3Magic = 0x48455033; // "HEP3"
const eepMagic = 0x45455031; // "EEP1": HEPv3 under its EEP name, same layout

/** The length a HEPv3 message says it has, once its 6-byte header is in (null: not HEPv3). For TCP framing. */
export function hep3Length(b: Buffer, at = 0): number | null {
  if (b.length < at + 6) return null;
  const magic = b.readUInt32BE(at);
  return magic === hep3Magic || magic === eepMagic ? b.readUInt16BE(at + 4) : null;
}

export function parseHep(b: Buffer): HepParse {
  if (b.length >= 6 && hep3Length(b) !== null) return parseHep3(b);
  if (b.length >= 1 && (b[0] === 1 || b[0] === 2)) return parseHep12(b);
  return drop(b.length < 6 ? 'malformed' : 'unsupported');
}

const drop = (reason: HepDropReason): HepParse => ({ kind: 'drop', reason });

function parseHep3(b: Buffer): HepParse {
  const total = b.readUInt16BE(4);
  if (total < 6 || total > b.length) return drop('malformed');
  let family: number | null = null;
  let protocol = 17;
  let src4: string | null = null;
  let dst4: string | null = null;
  let src6: string | null = null;
  let dst6: string | null = null;
  let sport = 0;
  let dport = 0;
  let seconds: number | null = null;
  let micros = 0;
  let payloadType = 1;
  let captureId = 0;
  let authKey: string | null = null;
  let correlationId: string | null = null;
  let nodeName: string | null = null;
  let vlan: number | null = null;
  let payload: Buffer | null = null;
  let compressed: Buffer | null = null;
  let keepalive = false;
  for (let at = 6; at < total; ) {
    if (at + 6 > total) return drop('malformed');
    const vendor = b.readUInt16BE(at);
    const type = b.readUInt16BE(at + 2);
    const length = b.readUInt16BE(at + 4);
    if (length < 6 || at + length > total) return drop('malformed');
    const value = b.subarray(at + 6, at + length);
    at += length;
    if (vendor !== 0) continue; // a vendor's own chunk: skipped by its length
    const n = value.length;
    switch (type) {
      case 1:
        if (n === 1) family = value[0]!;
        break;
      case 2:
        if (n === 1) protocol = value[0]!;
        break;
      case 3:
        if (n === 4) src4 = ipv4Text(value, 0);
        break;
      case 4:
        if (n === 4) dst4 = ipv4Text(value, 0);
        break;
      case 5:
        if (n === 16) src6 = ipv6Text(value, 0);
        break;
      case 6:
        if (n === 16) dst6 = ipv6Text(value, 0);
        break;
      case 7:
        if (n === 2) sport = value.readUInt16BE(0);
        break;
      case 8:
        if (n === 2) dport = value.readUInt16BE(0);
        break;
      case 9:
        if (n === 4) seconds = value.readUInt32BE(0);
        break;
      case 10:
        if (n === 4) micros = value.readUInt32BE(0);
        break;
      case 11:
        if (n === 1) payloadType = value[0]!;
        break;
      case 12:
        if (n === 4) captureId = value.readUInt32BE(0);
        else if (n === 2) captureId = value.readUInt16BE(0); // some agents send a 16-bit id
        break;
      case 13:
        keepalive = true;
        break;
      case 14:
        authKey = text(value);
        break;
      case 15:
        payload = value;
        break;
      case 16:
        compressed = value;
        break;
      case 17:
        correlationId = text(value);
        break;
      case 18:
        if (n === 2) vlan = value.readUInt16BE(0);
        break;
      case 19:
        nodeName = text(value);
        break;
      // 20–32 (MACs, ethertype, TCP flags, TOS, MOS, R-factor, geo, jitter, transaction type, payload JSON keys,
      // tags) describe the packet for a HOMER database; nothing here uses them. Others: unknown, skipped.
    }
  }
  if (!payload && compressed) {
    try {
      payload = zlib.unzipSync(compressed, { maxOutputLength: maxHepPayload }); // gzip or zlib, as agents differ
    } catch (error) {
      return drop((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? 'compressedTooLarge' : 'malformed');
    }
  }
  if (!payload) return drop(keepalive ? 'keepalive' : 'noPayload');
  const v6 = family === 10 || (family === null && src6 !== null);
  const src = v6 ? src6 : src4;
  const dst = v6 ? dst6 : dst4;
  if (src === null || dst === null) return drop('malformed');
  return {
    kind: 'message',
    message: {
      version: 3,
      family: v6 ? 6 : 4,
      protocol,
      src,
      dst,
      sport,
      dport,
      timestampUs: seconds === null ? null : seconds * 1_000_000 + Math.min(micros, 999_999),
      payloadType,
      captureId,
      authKey,
      correlationId,
      nodeName,
      vlan,
      payload,
    },
  };
}

/**
 * HEPv1/v2: version, header length, family (AF_INET 2 / AF_INET6 10), protocol, ports (network order), the two
 * addresses; v2 then a time header (seconds, µs, 16-bit capture id in the sender's byte order — little endian on
 * every agent that sends it — padded to 12 bytes as the C struct is), then the payload.
 */
function parseHep12(b: Buffer): HepParse {
  const version = b[0] as 1 | 2;
  if (b.length < 8) return drop('malformed');
  const familyCode = b[2]!;
  const addressBytes = familyCode === 2 ? 4 : familyCode === 10 ? 16 : 0;
  if (addressBytes === 0) return drop('malformed');
  let at = 8 + 2 * addressBytes;
  const timeHeader = version === 2 ? 12 : 0;
  if (b.length < at + timeHeader) return drop('malformed');
  const text = addressBytes === 4 ? ipv4Text : ipv6Text;
  const src = text(b, 8);
  const dst = text(b, 8 + addressBytes);
  let timestampUs: number | null = null;
  let captureId = 0;
  if (version === 2) {
    timestampUs = b.readUInt32LE(at) * 1_000_000 + Math.min(b.readUInt32LE(at + 4), 999_999);
    captureId = b.readUInt16LE(at + 8);
    at += timeHeader;
  }
  if (at >= b.length) return drop('noPayload');
  return {
    kind: 'message',
    message: {
      version,
      family: addressBytes === 4 ? 4 : 6,
      protocol: b[3]!,
      src,
      dst,
      sport: b.readUInt16BE(4),
      dport: b.readUInt16BE(6),
      timestampUs,
      payloadType: 1,
      captureId,
      authKey: null,
      correlationId: null,
      nodeName: null,
      vlan: null,
      payload: b.subarray(at),
    },
  };
}

/** Chunk strings are octet strings; C agents often count a trailing NUL. */
function text(value: Buffer): string {
  const end = value.indexOf(0);
  return value.toString('latin1', 0, end < 0 ? value.length : end);
}
