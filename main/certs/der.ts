// DER (ITU-T X.690) for certificates, signing requests and PKCS#12, through node-forge's ASN.1 module: forge
// writes and parses the records (lengths, integers, OIDs, times). This adapter hands it Buffers at the edges (forge
// works on binary strings, one character a byte) and names tags by their byte (0x30, 0xa3…), as dumps and RFCs do.
// Only forge's asn1 module (with the util and oids it loads) is imported: the whole of forge would cost every
// `lanyard cert` ~40 ms of loading ciphers and TLS it never uses.
import type { asn1 as forgeAsn1 } from 'node-forge';
import asn1 from 'node-forge/lib/asn1.js';

export type Node = forgeAsn1.Asn1;

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

const binary = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

/** forge wants the tag byte as its class, constructed flag and number. */
const create = (tagByte: number, value: string | Node[]): Node =>
  asn1.create(tagByte & 0xc0, tagByte & 0x1f, (tagByte & 0x20) !== 0, value);

export const constructed = (tagByte: number, ...items: Node[]): Node => create(tagByte, items);
export const primitive = (tagByte: number, content: Uint8Array): Node => create(tagByte, binary(content));
export const sequence = (...items: Node[]): Node => create(tag.sequence, items);
export const set = (...items: Node[]): Node => create(tag.set, items);
export const octetString = (content: Uint8Array): Node => primitive(tag.octetString, content);
export const boolean = (value: boolean): Node => create(tag.boolean, value ? '\xff' : '\x00');
export const nullValue = (): Node => create(tag.null, '');
export const integer = (n: number): Node => create(tag.integer, asn1.integerToDer(n).getBytes());
export const objectId = (dotted: string): Node => create(tag.oid, asn1.oidToDer(dotted).getBytes());
export const utf8String = (text: string): Node => primitive(tag.utf8String, Buffer.from(text, 'utf8'));
/** forge keeps a BMPString as text and writes it as UTF-16BE. */
export const bmpString = (text: string): Node => create(tag.bmpString, text);
/** A bit string whose every bit is used (keys, signatures). */
export const bitString = (bytes: Uint8Array): Node => create(tag.bitString, `\x00${binary(bytes)}`);

/**
 * A named bit list (key usage): bit 0 is the first bit sent. DER drops trailing zero bits and says how many
 * bits of the last byte are unused; forge has no helper for it.
 */
export function namedBits(bits: readonly number[]): Node {
  const length = Math.max(...bits) + 1;
  const bytes = new Uint8Array(Math.ceil(length / 8));
  for (const bit of bits) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  return create(tag.bitString, String.fromCharCode(bytes.length * 8 - length) + binary(bytes));
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; always UTC, whole seconds. */
export function time(date: Date): Node {
  return date.getUTCFullYear() < 2050
    ? create(tag.utcTime, asn1.dateToUtcTime(date))
    : create(tag.generalizedTime, asn1.dateToGeneralizedTime(date));
}

export const encode = (node: Node): Buffer => Buffer.from(asn1.toDer(node).getBytes(), 'latin1');

// ——— reading ———

function malformed(why: string): Error {
  return new Error(`malformed DER: ${why}`);
}

/** Deeper than any certificate, request or PKCS#12 (a certificate is about 8 levels); forge's parser recurses per level. */
export const maxDepth = 32;

/**
 * One iterative pass over the headers before forge sees the bytes: definite lengths only (DER has no other), every
 * value inside its container, and no deeper than maxDepth, so hostile nesting is refused in linear time instead of
 * running forge's recursion out of stack.
 */
function checkShape(bytes: Uint8Array): void {
  const ends = [bytes.length];
  let at = 0;
  while (at < bytes.length) {
    while (ends.length > 1 && at >= ends.at(-1)!) ends.pop();
    const first = bytes[at++]!;
    // A high tag number continues in base-128 bytes while their top bit is set.
    if ((first & 0x1f) === 0x1f) while (at < bytes.length && (bytes[at++]! & 0x80) !== 0);
    if (at >= bytes.length) throw malformed('a header cut short');
    let length = bytes[at++]!;
    if (length === 0x80) throw malformed('an indefinite length (not DER)');
    if (length > 0x80) {
      const count = length & 0x7f;
      if (count > 4 || at + count > bytes.length) throw malformed('a length that does not fit');
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + bytes[at++]!;
    }
    const end = at + length;
    if (end > ends.at(-1)!) throw malformed('a value that runs past its container');
    if ((first & 0x20) === 0) at = end;
    else if (ends.push(end) > maxDepth + 1) throw malformed(`nested deeper than ${maxDepth} levels`);
  }
}

export function decode(bytes: Uint8Array): Node {
  checkShape(bytes);
  try {
    // Bit strings here hold keys and signatures, not ASN.1 for forge to guess at.
    return asn1.fromDer(binary(bytes), { decodeBitStrings: false });
  } catch (error) {
    throw malformed((error as Error).message);
  }
}

export const tagOf = (node: Node): number => node.tagClass | (node.constructed ? 0x20 : 0) | node.type;

/** The records inside a constructed one (a SEQUENCE, SET or constructed [n]). */
export function children(node: Node): Node[] {
  if (typeof node.value === 'string') throw malformed('expected a constructed record');
  return node.value;
}

const text = (node: Node): string => {
  if (typeof node.value !== 'string') throw malformed('expected a primitive record');
  return node.value;
};

/** A primitive record's content octets. */
export const content = (node: Node): Buffer => Buffer.from(text(node), 'latin1');

export function ofTag(node: Node | undefined, tagByte: number, what: string): Node {
  if (!node || tagOf(node) !== tagByte) throw malformed(`expected ${what}`);
  return node;
}

export const oidText = (node: Node): string => asn1.derToOid(text(ofTag(node, tag.oid, 'an object identifier')));

export function readTime(node: Node): Date {
  const value = text(node);
  const nodeTag = tagOf(node);
  const date =
    nodeTag === tag.utcTime ? asn1.utcTimeToDate(value) : nodeTag === tag.generalizedTime ? asn1.generalizedTimeToDate(value) : null;
  if (!date || Number.isNaN(date.getTime())) throw malformed(`bad time "${value}"`);
  return date;
}

/** A directory string's text (UTF8String, PrintableString, IA5String; forge has already decoded a BMPString). */
export const readString = (node: Node): string => (tagOf(node) === tag.bmpString ? text(node) : content(node).toString('utf8'));

/** PEM armour on, with \n line ends as openssl and mkcert write them (forge's pem module writes \r\n). */
export function toPem(der: Uint8Array, label: string): string {
  const base64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  return `-----BEGIN ${label}-----\n${base64.replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}
