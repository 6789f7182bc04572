// One SIP message (RFC 3261 §7): the start line and the headers the tracker needs, compact forms included.
// Outside input: one left-to-right pass over the header text (indexOf and charCodeAt only, no regex), the
// header block capped, and anything that is not a well-formed start line with Call-ID and CSeq refused.

export interface SipHead {
  /** The request method, or null for a response. */
  method: string | null;
  /** The response code, 0 for a request. */
  code: number;
  reason: string;
  firstLine: string;
  callId: string;
  /** From / To URIs without display name or parameters, and their tags ('' when absent). */
  from: string;
  fromTag: string;
  to: string;
  toTag: string;
  cseq: number;
  cseqMethod: string;
  /** The top Via's branch parameter: with CSeq, the transaction key. */
  branch: string;
  /** An X-CID or X-Call-ID header: the Call-ID of the other leg a B2BUA correlates this one with. */
  correlation: string;
  /** -1 when the message has no Content-Length. */
  contentLength: number;
  contentType: string;
}

/** A header block longer than this is not SIP we will read (the largest real ones are a few kB). */
export const maxHeaderBytes = 16 * 1024;

/** The headers `header` below reads, by their lower-case names (compact forms too, RFC 3261 §7.3.3) → its name for them. */
const neededNames: readonly (readonly [string, string])[] = [
  ['call-id', 'call-id'],
  ['i', 'call-id'],
  ['from', 'from'],
  ['f', 'from'],
  ['to', 'to'],
  ['t', 'to'],
  ['cseq', 'cseq'],
  ['via', 'via'],
  ['v', 'via'],
  ['content-length', 'content-length'],
  ['l', 'content-length'],
  ['content-type', 'content-type'],
  ['c', 'content-type'],
  ['x-cid', 'x-cid'],
  ['x-call-id', 'x-call-id'],
];

const CR = 13;
const LF = 10;

/**
 * The offset just past the blank line that ends the headers in bytes[from, to), or -1 when it is not there
 * (yet). Bare LF line ends are accepted as RFC 3261 §7.5 asks of a tolerant reader.
 */
export function headerEnd(bytes: Uint8Array, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    if (bytes[i] !== LF) continue;
    if (i + 1 < to && bytes[i + 1] === LF) return i + 2;
    if (i + 2 < to && bytes[i + 1] === CR && bytes[i + 2] === LF) return i + 3;
  }
  return -1;
}

/** Does this look like the start of a SIP message ("SIP/2.0 " or an upper-case token, a space)? Cheap, for every UDP packet. */
export function looksLikeSip(bytes: Uint8Array, at: number, end: number): boolean {
  if (end - at < 12) return false;
  // "SIP/"
  if (bytes[at] === 0x53 && bytes[at + 1] === 0x49 && bytes[at + 2] === 0x50 && bytes[at + 3] === 0x2f) return true;
  let i = at;
  while (i < end && i - at < 16 && bytes[i]! >= 0x41 && bytes[i]! <= 0x5a) i++;
  return i - at >= 3 && i < end && bytes[i] === 0x20;
}

/**
 * Parses the header block in bytes[from, to) (or given as text): start line up to the blank line; null when it is
 * not a SIP message. The fields are slices of the block's text: whoever keeps one long copies it (see tracker.ts).
 */
export function parseSipHead(source: string | Buffer, from = 0, to = source.length): SipHead | null {
  // One decode of the block, then string scanning: V8 inlines that, where a native call per line or header costs.
  const text = typeof source === 'string' ? source : source.toString('latin1', from, to);
  let lineEnd = text.indexOf('\n');
  if (lineEnd < 0) lineEnd = text.length;
  const firstLine = text.slice(0, text.charCodeAt(lineEnd - 1) === CR ? lineEnd - 1 : lineEnd);
  const head: SipHead = {
    method: null,
    code: 0,
    reason: '',
    firstLine,
    callId: '',
    from: '',
    fromTag: '',
    to: '',
    toTag: '',
    cseq: -1,
    cseqMethod: '',
    branch: '',
    correlation: '',
    contentLength: -1,
    contentType: '',
  };
  if (!startLine(firstLine, head)) return null;
  let at = lineEnd + 1;
  let name = '';
  let value = '';
  // Indices into the text, not a string per line: only the values of headers read here are sliced out.
  while (at <= text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const lineAt = at;
    const stop = text.charCodeAt(end - 1) === CR && end > lineAt ? end - 1 : end;
    at = end + 1;
    const first = lineAt < stop ? text.charCodeAt(lineAt) : -1;
    if (first === 0x20 || first === 0x09) {
      if (name) value += ` ${text.slice(lineAt, stop).trim()}`; // a folded continuation line
      continue;
    }
    if (name) header(head, name, value);
    if (lineAt === stop) break;
    const colon = text.indexOf(':', lineAt);
    if (colon <= lineAt || colon >= stop) return null; // (a colon past this line ends the parse: nothing is searched twice)
    name = neededHeader(text, lineAt, colon);
    if (name) value = text.slice(colon + 1, stop).trim();
  }
  if (name) header(head, name, value);
  if (!head.callId || head.cseq < 0 || !head.cseqMethod) return null;
  return head;
}

/** The header named in text[at, end) (blanks around it ignored, any case) as `header` knows it, or '' for one it does not read. */
function neededHeader(text: string, at: number, end: number): string {
  for (const [name, canonical] of neededNames) if (isName(text, at, end, name)) return canonical;
  return '';
}

function lowerAscii(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
}

/** What String.prototype.trim removes, among latin1 characters. */
function isBlank(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0;
}

function startLine(line: string, head: SipHead): boolean {
  if (line.startsWith('SIP/2.0 ')) {
    const code = Number(line.slice(8, 11));
    if (!Number.isInteger(code) || code < 100 || code > 699 || (line.length > 11 && line.charCodeAt(11) !== 0x20)) return false;
    head.code = code;
    head.reason = line.slice(12);
    return true;
  }
  const space = line.indexOf(' ');
  if (space < 1 || !line.endsWith(' SIP/2.0')) return false;
  for (let i = 0; i < space; i++) {
    const c = line.charCodeAt(i);
    if (c < 0x41 || c > 0x5a) return false;
  }
  head.method = line.slice(0, space);
  return true;
}

function header(head: SipHead, name: string, value: string): void {
  switch (name) {
    case 'call-id':
      head.callId ||= value;
      break;
    case 'from':
      if (!head.from) [head.from, head.fromTag] = addressAndTag(value);
      break;
    case 'to':
      if (!head.to) [head.to, head.toTag] = addressAndTag(value);
      break;
    case 'cseq': {
      const space = value.indexOf(' ');
      const n = Number(value.slice(0, space));
      if (space > 0 && Number.isInteger(n) && n >= 0) {
        head.cseq = n;
        head.cseqMethod = value.slice(space + 1).trim();
      }
      break;
    }
    case 'via':
      if (!head.branch) head.branch = param(value.slice(0, commaOutsideQuotes(value)), 'branch');
      break;
    case 'content-length': {
      const n = Number(value);
      if (Number.isInteger(n) && n >= 0) head.contentLength = n;
      break;
    }
    case 'content-type':
      head.contentType = value.toLowerCase();
      break;
    case 'x-cid':
    case 'x-call-id':
      head.correlation ||= value;
      break;
  }
}

/** `"Alice" <sip:alice@a.example>;tag=1928` → ['sip:alice@a.example', '1928']. */
function addressAndTag(value: string): [string, string] {
  const open = value.indexOf('<');
  if (open >= 0) {
    const close = value.indexOf('>', open);
    if (close < 0) return [value.slice(open + 1), ''];
    return [value.slice(open + 1, close), param(value.slice(close + 1), 'tag')];
  }
  const semi = value.indexOf(';');
  return semi < 0 ? [value, ''] : [value.slice(0, semi).trim(), param(value.slice(semi), 'tag')];
}

/** The value of `;name=value` among `;`-separated parameters ('' when absent); `name` in lower case. */
function param(params: string, name: string): string {
  let at = params.indexOf(';');
  let eq = -1;
  while (at >= 0) {
    const next = params.indexOf(';', at + 1);
    const end = next < 0 ? params.length : next;
    // The '=' search only moves forward (a later part reuses it), so many parameters cost one pass.
    if (eq <= at) eq = params.indexOf('=', at + 1);
    if (eq < 0) return '';
    if (eq < end && isName(params, at + 1, eq, name)) return params.slice(eq + 1, end).trim();
    at = next;
  }
  return '';
}

/** Is text[at, end), blanks around it ignored, `name` in any case? Compared in place: no string per parameter. */
function isName(text: string, at: number, end: number, name: string): boolean {
  while (at < end && isBlank(text.charCodeAt(at))) at++;
  while (end > at && isBlank(text.charCodeAt(end - 1))) end--;
  if (end - at !== name.length) return false;
  for (let i = 0; i < name.length; i++) if (lowerAscii(text.charCodeAt(at + i)) !== name.charCodeAt(i)) return false;
  return true;
}

function commaOutsideQuotes(value: string): number {
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x22) quoted = !quoted;
    else if (c === 0x2c && !quoted) return i;
  }
  return value.length;
}
