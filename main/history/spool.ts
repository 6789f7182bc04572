// The spool: per-session files the shell hooks append records to, with shell builtins only.
// A record is ten fields, each ended by NUL (commands cannot hold NUL in bash or fish):
//   L1, session, shell, host, user, start, end, exit, cwd, command
// start/end are the shell's clock as text ("1700000000.123456", or whole seconds; empty when unknown).

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
const marker = 'L1';

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
      if (field !== marker) {
        // Garbage (a torn write from a killed shell): skip to the next field that opens a record.
        problems.push(`skipped a damaged field at byte ${pos}`);
        pos = end + 1;
        complete = pos;
        continue;
      }
      recordStart = pos;
    }
    fields.push(field);
    pos = end + 1;
    if (fields.length === fieldCount) {
      const [, session, shell, host, user, start, stop, exit, cwd, command] = fields as [string, string, string, string, string, string, string, string, string, string];
      records.push({ session, shell, host, user, start, end: stop, exit, cwd, command, offset: recordStart });
      fields = [];
      complete = pos;
    }
  }
  return { records, complete, problems };
}

/** "1700000000.123456" (or with a comma, as some locales print it) → ms; null when empty or unreadable. */
export function clockToMs(text: string): number | null {
  if (!/^\d+([.,]\d+)?$/.test(text)) return null;
  return Number(text.replace(',', '.')) * 1000;
}
