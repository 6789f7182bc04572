// The spool: per-session files the shell hooks append records to, with shell builtins only.
// A record is ten fields, each ended by NUL (commands cannot hold NUL in bash, zsh or fish):
//   L1, session, shell, host, user, start, end, exit, cwd, command      (zsh, fish; bash hooks before L2)
//   L2, session, shell, host, user, start, end, exit, cwd, history line  (bash)
// start/end are the shell's clock as text ("1700000000.123456", or whole seconds; empty when unknown).
// An L2 record ends with what `history 1` prints with HISTTIMEFORMAT=\x01: "  123  \x01command\n". bash writes
// it in three pieces, so a shell interrupted between them leaves a record whose last field is the next
// record's marker: that one is dropped and reading goes on from the marker.

export interface SpoolRecord {
  session: string;
  shell: string;
  host: string;
  user: string;
  start: string;
  end: string;
  exit: string;
  cwd: string;
  command: string;
  /** bash's number for the entry (L2 records); null for L1. */
  entry: number | null;
  /** Byte offset of the record in its file (a stable key when the start time is unknown). */
  offset: number;
}

export interface ParsedSpool {
  records: SpoolRecord[];
  /** Bytes of complete records (and skipped garbage); anything after is an unfinished record. */
  complete: number;
  problems: string[];
}

const fieldCount = 10;
const markers = new Set(['L1', 'L2']);
/** Number, edited mark, the gap, HISTTIMEFORMAT's \x01. */
const historyLineHead = /^ *(\d+)[ *] \x01/;

/** The entry in a line `history 1` printed; null when the field is not one. */
function historyLine(line: string): { entry: number; command: string } | null {
  const head = historyLineHead.exec(line);
  return head && line.endsWith('\n') ? { entry: Number(head[1]), command: line.slice(head[0].length, -1) } : null;
}

export function parseSpool(data: Buffer): ParsedSpool {
  const records: SpoolRecord[] = [];
  const problems: string[] = [];
  let pos = 0;
  let complete = 0;
  let fields: string[] = [];
  let recordStart = 0;
  while (pos < data.length) {
    const end = data.indexOf(0, pos);
    if (end < 0) break;
    const field = data.toString('utf8', pos, end);
    if (fields.length === 0) {
      if (!markers.has(field)) {
        // Garbage (a torn write from a killed shell): skip to the next field that opens a record.
        problems.push(`skipped a damaged field at byte ${pos}`);
        pos = end + 1;
        complete = pos;
        continue;
      }
      recordStart = pos;
    }
    const fieldStart = pos;
    fields.push(field);
    pos = end + 1;
    if (fields.length === fieldCount) {
      const [kind, session, shell, host, user, start, stop, exit, cwd, last] = fields as [string, string, string, string, string, string, string, string, string, string];
      fields = [];
      complete = pos;
      // An empty history line: bash had none to print, its history having just been cleared.
      if (kind === 'L2' && last === '') continue;
      const line = kind === 'L1' ? { entry: null, command: last } : historyLine(last);
      if (line === null) {
        problems.push(`skipped a record cut short at byte ${recordStart}`);
        pos = complete = fieldStart;
        continue;
      }
      records.push({ session, shell, host, user, start, end: stop, exit, cwd, ...line, offset: recordStart });
    }
  }
  return { records, complete, problems };
}

/** "1700000000.123456" (or with a comma, as some locales print it) → ms; null when empty or unreadable. */
export function clockToMs(text: string): number | null {
  if (!/^\d+([.,]\d+)?$/.test(text)) return null;
  return Number(text.replace(',', '.')) * 1000;
}
