// Just enough DER (ITU-T X.690) to write and read certificates and signing requests. Node's crypto makes the
// keys and signatures; a certificate is a few nested tag-length-value records around them, so nothing heavier
// (an ASN.1 schema library, WebCrypto glue) has to load or run for each one.

export const tag = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  utcTime: 0x17,
  generalizedTime: 0x18,
  bmpString: 0x1e,
  sequence: 0x30,
  set: 0x31,
} as const;

/** A context-specific tag [n]: constructed (EXPLICIT, or IMPLICIT over a constructed type) or primitive. */
export const contextTag = (n: number, constructed: boolean): number => (constructed ? 0xa0 : 0x80) | n;

function lengthOctets(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

export function tlv(tagByte: number, ...content: readonly Uint8Array[]): Buffer {
  const body = content.length === 1 ? content[0]! : Buffer.concat(content);
  return Buffer.concat([Buffer.from([tagByte, ...lengthOctets(body.length)]), body]);
}

export const sequence = (...items: readonly Uint8Array[]): Buffer => tlv(tag.sequence, ...items);
export const set = (...items: readonly Uint8Array[]): Buffer => tlv(tag.set, ...items);
export const octetString = (bytes: Uint8Array): Buffer => tlv(tag.octetString, bytes);
export const boolean = (value: boolean): Buffer => tlv(tag.boolean, Uint8Array.of(value ? 0xff : 0));
export const nullValue = (): Buffer => tlv(tag.null);
export const utf8String = (text: string): Buffer => tlv(tag.utf8String, Buffer.from(text, 'utf8'));
/** A bit string whose every bit is used (keys, signatures). */
export const bitString = (bytes: Uint8Array): Buffer => tlv(tag.bitString, Uint8Array.of(0), bytes);

/** A non-negative integer from its big-endian bytes, minimal and with a 00 in front when the top bit is set. */
export function unsignedInteger(bytes: Uint8Array): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const minimal = bytes.subarray(start);
  return tlv(tag.integer, minimal[0]! & 0x80 ? Buffer.concat([Uint8Array.of(0), minimal]) : minimal);
}

export const smallInteger = (n: number): Buffer => unsignedInteger(Uint8Array.of(n));

export function objectId(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const bytes: number[] = [];
  for (const arc of [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)]) {
    const group = [arc & 0x7f];
    for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) group.unshift(0x80 | (rest & 0x7f));
    bytes.push(...group);
  }
  return tlv(tag.oid, Uint8Array.from(bytes));
}

/**
 * A named bit list (key usage): bit 0 is the first bit sent. DER drops trailing zero bits and says how many
 * bits of the last byte are unused.
 */
export function namedBits(bits: readonly number[]): Buffer {
  const length = Math.max(...bits) + 1;
  const bytes = new Uint8Array(Math.ceil(length / 8));
  for (const bit of bits) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  return tlv(tag.bitString, Uint8Array.of(bytes.length * 8 - length), bytes);
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; always UTC, whole seconds. */
export function time(date: Date): Buffer {
  const iso = date.toISOString();
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  const year = date.getUTCFullYear();
  return year < 2050 ? tlv(tag.utcTime, Buffer.from(`${digits.slice(2)}Z`)) : tlv(tag.generalizedTime, Buffer.from(`${digits}Z`));
}

// ——— reading ———

export interface Tlv {
  tag: number;
  /** The content octets. */
  value: Buffer;
  /** The whole encoding, header included (what a signature covers, or what is copied verbatim). */
  der: Buffer;
}

function malformed(why: string): Error {
  return new Error(`malformed DER: ${why}`);
}

/** The record starting at `offset`. Definite lengths only, as DER requires. */
export function read(buffer: Buffer, offset = 0): Tlv {
  if (offset + 2 > buffer.length) throw malformed('truncated header');
  const tagByte = buffer[offset]!;
  if ((tagByte & 0x1f) === 0x1f) throw malformed('multi-byte tags are not used in certificates');
  let length = buffer[offset + 1]!;
  let header = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw malformed('unsupported length');
    if (offset + 2 + count > buffer.length) throw malformed('truncated length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buffer[offset + 2 + i]!;
    header += count;
  }
  const end = offset + header + length;
  if (end > buffer.length) throw malformed('content runs past the end');
  return { tag: tagByte, value: buffer.subarray(offset + header, end), der: buffer.subarray(offset, end) };
}

/** The records inside a constructed one (a SEQUENCE, SET or constructed [n]). */
export function children(node: Tlv): Tlv[] {
  const items: Tlv[] = [];
  for (let offset = 0; offset < node.value.length; ) {
    const item = read(node.value, offset);
    items.push(item);
    offset += item.der.length;
  }
  return items;
}

export function ofTag(node: Tlv | undefined, tagByte: number, what: string): Tlv {
  if (!node || node.tag !== tagByte) throw malformed(`expected ${what}`);
  return node;
}

export function oidText(node: Tlv): string {
  const bytes = ofTag(node, tag.oid, 'an object identifier').value;
  const arcs: number[] = [];
  let arc = 0;
  for (const byte of bytes) {
    arc = arc * 128 + (byte & 0x7f);
    if (byte & 0x80) continue;
    if (arcs.length === 0) arcs.push(arc < 80 ? Math.floor(arc / 40) : 2, arc < 80 ? arc % 40 : arc - 80);
    else arcs.push(arc);
    arc = 0;
  }
  return arcs.join('.');
}

export function readTime(node: Tlv): Date {
  const text = node.value.toString('latin1');
  const match = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match || (node.tag === tag.utcTime) !== (match[1]!.length === 2)) throw malformed(`bad time "${text}"`);
  const yy = Number(match[1]);
  const year = match[1]!.length === 4 ? yy : yy < 50 ? 2000 + yy : 1900 + yy;
  return new Date(Date.UTC(year, Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6])));
}

/** A directory string's text (UTF8String, PrintableString, IA5String, or BMPString's UTF-16). */
export function readString(node: Tlv): string {
  if (node.tag === tag.bmpString) return Buffer.from(node.value).swap16().toString('utf16le');
  return node.value.toString('utf8');
}

/** PEM armour off: the DER inside the first block with this label. */
export function fromPem(pem: string, label: string): Buffer {
  const match = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(pem);
  if (!match) throw new Error(`no ${label} block`);
  return Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64');
}

export function toPem(der: Uint8Array, label: string): string {
  const base64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  return `-----BEGIN ${label}-----\n${base64.replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}
