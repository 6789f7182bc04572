// Reading PEM (RFC 7468) from outside files: bounded in size and in blocks, scanned in one pass (indexOf, no
// backtracking pattern), so a hostile file costs at most 64 KiB of linear work before it is refused.
import { closeSync, openSync, readSync } from 'node:fs';
import { ServiceError } from '../contract/errors.ts';

/** A CA certificate, a key or a request is a few KiB; a chain of a dozen fits easily. */
export const maxPemBytes = 64 * 1024;
export const maxPemBlocks = 16;

export interface PemBlock {
  label: string;
  der: Buffer;
}

function malformed(why: string): Error {
  return new Error(`malformed PEM: ${why}`);
}

const isLabelChar = (code: number) => (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x20 || code === 0x2d;
const isBase64Char = (code: number) =>
  (code >= 0x41 && code <= 0x5a) ||
  (code >= 0x61 && code <= 0x7a) ||
  (code >= 0x30 && code <= 0x39) ||
  code === 0x2b ||
  code === 0x2f ||
  code === 0x3d ||
  code === 0x20 ||
  code === 0x09 ||
  code === 0x0d ||
  code === 0x0a;

/** Every block, in order; text around and between blocks (openssl's -text output, comments) is skipped. */
export function pemBlocks(text: string): PemBlock[] {
  if (text.length > maxPemBytes) throw malformed(`over ${maxPemBytes / 1024} KiB`);
  const blocks: PemBlock[] = [];
  let at = text.indexOf('-----BEGIN ');
  while (at >= 0) {
    if (blocks.length === maxPemBlocks) throw malformed(`more than ${maxPemBlocks} blocks`);
    const labelStart = at + '-----BEGIN '.length;
    const labelEnd = text.indexOf('-----', labelStart);
    if (labelEnd < 0 || labelEnd - labelStart > 64) throw malformed('a BEGIN line without its closing dashes');
    const label = text.slice(labelStart, labelEnd);
    for (let i = 0; i < label.length; i++)
      if (!isLabelChar(label.charCodeAt(i))) throw malformed('a label outside A–Z, digits, space and "-"');
    const end = `-----END ${label}-----`;
    const bodyEnd = text.indexOf(end, labelEnd + 5);
    if (bodyEnd < 0) throw malformed(`a ${label} block without its END line`);
    const body = text.slice(labelEnd + 5, bodyEnd);
    for (let i = 0; i < body.length; i++)
      if (!isBase64Char(body.charCodeAt(i))) throw malformed(`a ${label} block with a character outside base64`);
    blocks.push({ label, der: Buffer.from(body, 'base64') });
    at = text.indexOf('-----BEGIN ', bodyEnd + end.length);
  }
  return blocks;
}

/** The DER of the first block with this label. */
export function pemBlock(text: string, label: string): Buffer {
  const block = pemBlocks(text).find((b) => b.label === label);
  if (!block) throw malformed(`no ${label} block`);
  return block.der;
}

/** A PEM file's text, refused when it is over the bound (read no further than the bound, whatever the file claims). */
export function readPemFile(file: string): string {
  const buffer = Buffer.alloc(maxPemBytes + 1);
  const fd = openSync(file, 'r');
  let length = 0;
  try {
    for (let n = 1; n > 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
  } finally {
    closeSync(fd);
  }
  if (length > maxPemBytes)
    throw new ServiceError(
      'invalid-argument',
      `${file} is over ${maxPemBytes / 1024} KiB: not a certificate, key or request Lanyard reads.`,
    );
  return buffer.toString('utf8', 0, length);
}
