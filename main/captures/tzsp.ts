// TZSP datagrams: parse what sensors send, and build what `lanyard tzsp send` and the tests send.
// Layout: version u8 | type u8 | encapsulation u16 BE | tags… | END | frame (to the end of the datagram).

export const tzspDefaultPort = 37008;

/** TZSP encapsulation → pcap LINKTYPE. The numbers differ; old tools get 126/127 wrong. */
export const linktypeOfEncapsulation: ReadonlyMap<number, number> = new Map([
  [1, 1], // Ethernet
  [2, 6], // Token Ring
  [4, 50], // PPP in HDLC-like framing
  [5, 10], // FDDI
  [7, 101], // raw IP
  [18, 105], // IEEE 802.11
  [119, 119], // 802.11 + Prism header
  [126, 127], // 802.11 + radiotap
  [127, 163], // 802.11 + AVS header
]);

export const encapsulationOfLinktype: ReadonlyMap<number, number> = new Map([...linktypeOfEncapsulation].map(([e, l]) => [l, e]));

/** Frames in an encapsulation Lanyard cannot map are kept under LINKTYPE_USER0 and reported. */
export const unknownEncapsulationLinktype = 147;

export const tzspTag = {
  pad: 0,
  end: 1,
  packetId: 40,
  originalLength: 41,
  sensorMac: 60,
  deviceName: 80,
  timestamp: 82,
} as const;

/** Types 0 (received) and 1 ("for transmit") both carry captured frames; senders use both. */
const dataTypes = new Set([0, 1]);
/** 2/3 tag lists and configuration, 4 keepalive, 5 port opener: counted, never captured. */
const controlTypes = new Set([2, 3, 4, 5]);

export interface TzspFrame {
  kind: 'frame';
  type: number;
  encapsulation: number;
  /** null when the encapsulation has no known link type. */
  linktype: number | null;
  frame: Buffer;
  /** Tag 41: the frame's length before the sensor truncated it. */
  originalLength?: number;
  /** Tag 40: the sensor's packet counter. */
  packetId?: number;
  /** Tag 60 (6 or 8 bytes), as aa:bb:… hex. */
  sensorMac?: string;
  /** Tag 80. */
  deviceName?: string;
  /** Tag 82. */
  timestamp?: { seconds: number; nanoseconds: number };
}

export type TzspParse = TzspFrame | { kind: 'control'; type: number } | { kind: 'malformed'; reason: string };

/** Parse one datagram. Never throws: anything that does not fit is `malformed` with the reason. */
export function parseTzsp(datagram: Buffer): TzspParse {
  if (datagram.length < 4) return malformed(`too short for a header (${datagram.length} bytes)`);
  const version = datagram[0]!;
  if (version !== 1) return malformed(`version ${version}, expected 1`);
  const type = datagram[1]!;
  const encapsulation = datagram.readUInt16BE(2);
  const result: TzspFrame = {
    kind: 'frame',
    type,
    encapsulation,
    linktype: linktypeOfEncapsulation.get(encapsulation) ?? null,
    frame: datagram,
  };
  let at = 4;
  for (;;) {
    if (at >= datagram.length) return malformed('no END tag');
    const tag = datagram[at]!;
    if (tag === tzspTag.end) {
      at++;
      break;
    }
    if (tag === tzspTag.pad) {
      at++;
      continue;
    }
    if (at + 1 >= datagram.length) return malformed(`tag ${tag} has no length byte`);
    const length = datagram[at + 1]!;
    const start = at + 2;
    if (start + length > datagram.length) return malformed(`tag ${tag} runs past the end (${length} bytes)`);
    readTag(result, tag, datagram.subarray(start, start + length));
    at = start + length;
  }
  if (controlTypes.has(type)) return { kind: 'control', type };
  if (!dataTypes.has(type)) return malformed(`unknown type ${type}`);
  if (at >= datagram.length) return malformed('no frame after the tags');
  result.frame = datagram.subarray(at);
  return result;
}

function readTag(into: TzspFrame, tag: number, data: Buffer): void {
  // A known tag with an unexpected size is skipped like an unknown one rather than trusted.
  switch (tag) {
    case tzspTag.packetId:
      if (data.length === 4) into.packetId = data.readUInt32BE(0);
      break;
    case tzspTag.originalLength:
      if (data.length === 2) into.originalLength = data.readUInt16BE(0);
      break;
    case tzspTag.sensorMac:
      if (data.length === 6 || data.length === 8) into.sensorMac = [...data].map((b) => b.toString(16).padStart(2, '0')).join(':'); // EUI-48 or EUI-64
      break;
    case tzspTag.deviceName: {
      const name = data
        .toString('latin1')
        .replace(/[^\x20-\x7e]/g, '')
        .trim();
      if (name) into.deviceName = name;
      break;
    }
    case tzspTag.timestamp:
      if (data.length === 8) into.timestamp = { seconds: data.readUInt32BE(0), nanoseconds: Math.min(data.readUInt32BE(4), 999_999_999) };
      break;
  }
}

function malformed(reason: string): TzspParse {
  return { kind: 'malformed', reason };
}

export interface TzspBuild {
  type?: number;
  encapsulation: number;
  packetId?: number;
  originalLength?: number;
  sensorMac?: Buffer;
  deviceName?: string;
  timestamp?: { seconds: number; nanoseconds: number };
}

/** The header every MikroTik and Scratch'n'Sniff datagram starts with: v1, type 0, Ethernet, END. */
export const ethernetHeader = Buffer.from([1, 0, 0, 1, 1]);

/** Build a datagram; with no tags this is exactly the MikroTik / Scratch'n'Sniff layout. */
export function buildTzsp(frame: Buffer, options: TzspBuild): Buffer {
  const tags: Buffer[] = [];
  const tag = (id: number, data: Buffer) => tags.push(Buffer.from([id, data.length]), data);
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n >>> 0);
    return b;
  };
  if (options.packetId !== undefined) tag(tzspTag.packetId, u32(options.packetId));
  if (options.originalLength !== undefined) {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(options.originalLength);
    tag(tzspTag.originalLength, b);
  }
  if (options.sensorMac) tag(tzspTag.sensorMac, options.sensorMac);
  if (options.deviceName !== undefined) tag(tzspTag.deviceName, Buffer.from(options.deviceName, 'latin1').subarray(0, 255));
  if (options.timestamp) tag(tzspTag.timestamp, Buffer.concat([u32(options.timestamp.seconds), u32(options.timestamp.nanoseconds)]));
  const header = Buffer.from([1, options.type ?? 0, options.encapsulation >> 8, options.encapsulation & 0xff]);
  return Buffer.concat([header, ...tags, Buffer.from([tzspTag.end]), frame]);
}
