// The spool: per-session files the shell hooks append records to, with shell builtins only.
// A record is ten fields, each ended by NUL (eleven for L3):
//   L3, session, shell, host, user, start, end, exit, cwd, command, \  (zsh, fish)
//   L2, session, shell, host, user, start, end, exit, cwd, history line  (bash)
// An L3 command is escaped (`\\` for a backslash, `\0` for NUL): a zsh string can hold NUL, and a command holding
// NUL and the fields after it must not read as a record of its own. bash strings cannot hold NUL, nor what
// `history 1` prints of them. An L3 record ends with a lone backslash, which no escaped command can be: a torn
// record followed by another does not read as one (its eleventh field is the other's), and reading goes on from
// its second field. L1 (the unescaped L3 of hooks before this) is not read: a session file holding
// one is dropped whole with a problem saying so (that shell records again once restarted).
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
  /** Bytes of complete records (and skipped garbage) from the start of the data; anything after is unread. */
  complete: number;
  /** Records dropped: over the size bound, or in a file from an older hook. */
  dropped: number;
  problems: string[];
}

export interface SpoolLimits {
  /** A record longer than this (all its fields) is dropped, counted; a command that long is a paste of data. */
  maxRecordBytes: number;
  /** Records returned per call: the rest waits for the next one, so one pass never holds the host thread long. */
  maxRecords: number;
}

// A record holds one command: as long as the longest an import takes (1 MiB), so a long heredoc is kept either way.
export const spoolLimits: SpoolLimits = { maxRecordBytes: 1024 * 1024, maxRecords: 10_000 };

const fieldCount = 10;
const endOfL3 = '\\';
const markers = new Set(['L2', 'L3']);
const legacyMarker = 'L1';
/** Number, edited mark, the gap, HISTTIMEFORMAT's \x01. */
const historyLineHead = /^ *(\d+)[ *] \x01/;

/** The entry in a line `history 1` printed; null when the field is not one. */
function historyLine(line: string): { entry: number; command: string } | null {
  const head = historyLineHead.exec(line);
  return head && line.endsWith('\n') ? { entry: Number(head[1]), command: line.slice(head[0].length, -1) } : null;
}

/** The command of an L3 record: `\\` and `\0` undone (another backslash is kept as it is). */
export function unescapeCommand(text: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const next = text[i + 1];
    if (ch === '\\' && (next === '\\' || next === '0')) {
      out += next === '0' ? '\0' : '\\';
      i++;
    } else out += ch;
  }
  return out;
}

/** Records from `data` starting at byte `from` (the end of what an earlier call returned). */
export function parseSpool(data: Buffer, limits: SpoolLimits = spoolLimits, from = 0): ParsedSpool {
  const records: SpoolRecord[] = [];
  const problems: string[] = [];
  let pos = from;
  let complete = from;
  let fields: string[] = [];
  let recordStart = from;
  let oversized = false;
  let dropped = 0;
  let legacy = 0;
  while (pos < data.length && records.length < limits.maxRecords) {
    const end = data.indexOf(0, pos);
    if (end < 0) break;
    if (fields.length === 0) {
      const marker = end - pos <= 2 ? data.toString('latin1', pos, end) : '';
      if (marker === legacyMarker) legacy++;
      if (!markers.has(marker)) {
        // Garbage (a torn write from a killed shell, an old hook's record): skip to the next field that opens a record.
        if (marker !== legacyMarker) problems.push(`skipped a damaged field at byte ${pos}`);
        pos = end + 1;
        complete = pos;
        continue;
      }
      recordStart = pos;
      oversized = false;
    }
    const fieldStart = pos;
    oversized ||= end + 1 - recordStart > limits.maxRecordBytes;
    // An oversized record's fields are counted, not decoded.
    fields.push(oversized ? '' : data.toString('utf8', pos, end));
    pos = end + 1;
    if (fields.length === (fields[0] === 'L3' ? fieldCount + 1 : fieldCount)) {
      // An L3 record's lone backslash: anything else there is a torn record followed by another.
      if (fields.length > fieldCount && fields.pop() !== endOfL3 && !oversized) {
        problems.push(`skipped a record cut short at byte ${recordStart}`);
        pos = complete = data.indexOf(0, recordStart) + 1;
        fields = [];
        continue;
      }
      const [kind, session, shell, host, user, start, stop, exit, cwd, last] = fields as [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
      ];
      fields = [];
      complete = pos;
      if (oversized) {
        dropped++;
        problems.push(`dropped a record of more than ${limits.maxRecordBytes} bytes at byte ${recordStart}`);
        continue;
      }
      // An empty history line: bash had none to print, its history having just been cleared.
      if (kind === 'L2' && last === '') continue;
      const line = kind === 'L3' ? { entry: null, command: unescapeCommand(last) } : historyLine(last);
      if (line === null) {
        problems.push(`skipped a record cut short at byte ${recordStart}`);
        pos = complete = fieldStart;
        continue;
      }
      records.push({ session, shell, host, user, start, end: stop, exit, cwd, ...line, offset: recordStart });
    }
  }
  if (legacy > 0) {
    // An old hook's command can hold NUL and so forge records of any kind after it: nothing in this file is trusted.
    problems.push(
      `dropped a session written by a hook older than this version of Lanyard (${legacy}+ records); restart that shell to record again`,
    );
    dropped += legacy + records.length;
    records.length = 0;
  }
  return { records, complete, dropped, problems };
}

/** "1700000000.123456" (or with a comma, as some locales print it) → ms; null when empty or unreadable. */
export function clockToMs(text: string): number | null {
  if (!/^\d+([.,]\d+)?$/.test(text)) return null;
  return Number(text.replace(',', '.')) * 1000;
}
