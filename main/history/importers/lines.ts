// Shared by the text importers: a history file read in chunks (never whole) and split into lines (LF or CRLF)
// with their numbers and offsets; and the bounds every importer keeps, since a history file is outside input.
import { closeSync, openSync, readSync } from 'node:fs';

/** What one import reads at most. A file, a line or a command past its bound is skipped with a problem. */
export const importLimits = {
  /** A history file larger than this is not read at all (a heavy user's is a few tens of MB). */
  fileBytes: 1024 * 1024 * 1024,
  /** One line of a history file; a longer one is skipped without being kept in memory. */
  lineBytes: 1024 * 1024,
  /** One command (a multi-line one is several lines). */
  commandBytes: 1024 * 1024,
  /** Records read from one file (runs, atuin rows); the import of that file stops there. */
  records: 10_000_000,
  /** Problems reported per file; the rest are counted in one last problem. */
  problems: 100,
} as const;

/** Bytes an importer reads: a whole buffer (tests), or a file read in chunks; either can be read more than once. */
export type HistoryBytes = Buffer | { chunks(): Iterable<Buffer> };

const chunkBytes = 1024 * 1024;

/** A history file, read in chunks each time it is iterated. */
export function fileBytes(file: string): HistoryBytes {
  return {
    *chunks() {
      const fd = openSync(file, 'r');
      try {
        for (;;) {
          // A fresh buffer each time: lines handed out are views into it.
          const buffer = Buffer.allocUnsafe(chunkBytes);
          const n = readSync(fd, buffer, 0, chunkBytes, null);
          if (n === 0) return;
          yield buffer.subarray(0, n);
        }
      } finally {
        closeSync(fd);
      }
    },
  };
}

export interface Line {
  /** 1-based, as an editor shows it. */
  number: number;
  /** The line's bytes without its LF or CRLF; empty when it was too long. */
  raw: Buffer;
  /** Longer than importLimits.lineBytes: skipped, `raw` is empty. */
  tooLong: boolean;
  /** Byte offset just past this line, for progress. */
  end: number;
}

/** The lines of `data`, each at most `maxBytes` long (a longer one comes as `tooLong`, its bytes dropped as read). */
export function* lines(data: HistoryBytes, maxBytes: number = importLimits.lineBytes): Generator<Line> {
  let number = 1;
  let offset = 0;
  // The start of a line that runs across chunks; at most maxBytes of it are held.
  let carry: Buffer[] = [];
  let carried = 0;
  let tooLong = false;
  const line = (tail: Buffer, end: number): Line => {
    let raw = carry.length === 0 ? tail : Buffer.concat([...carry, tail]);
    if (raw.length > 0 && raw[raw.length - 1] === 0x0d) raw = raw.subarray(0, -1);
    const long = tooLong || raw.length > maxBytes;
    carry = [];
    carried = 0;
    tooLong = false;
    return { number: number++, raw: long ? Buffer.alloc(0) : raw, tooLong: long, end };
  };
  for (const chunk of Buffer.isBuffer(data) ? [data] : data.chunks()) {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) {
        const piece = chunk.subarray(start);
        // One byte over the bound (a CR may still be cut) is enough to know.
        if (!tooLong && carried + piece.length <= maxBytes + 1) {
          carry.push(piece);
          carried += piece.length;
        } else {
          tooLong = true;
          carry = [];
          carried = 0;
        }
        break;
      }
      yield line(tooLong ? Buffer.alloc(0) : chunk.subarray(start, nl), offset + nl + 1);
      start = nl + 1;
    }
    offset += chunk.length;
  }
  if (carried > 0 || tooLong) yield line(Buffer.alloc(0), offset);
}

/** The problem for a line that was too long. */
export function tooLongProblem(line: Line): ImportItem {
  return { kind: 'problem', line: line.number, message: `line ${line.number} is longer than ${importLimits.lineBytes} bytes; skipped` };
}

/** What an importer yields: a run (with the byte offset reached, for progress) or a problem on a line. */
export type ImportItem =
  | {
      kind: 'run';
      command: string;
      startedAt: number | null;
      durationMs: number | null;
      dedupe: string;
      at: number;
      extra?: Partial<ImportRunExtra>;
    }
  | { kind: 'problem'; line: number; message: string };

export interface ImportRunExtra {
  exit: number | null;
  cwd: string | null;
  session: string | null;
  host: string | null;
  user: string | null;
}

/** Counts repeats of the same key so two identical entries in one second stay two runs, on every re-import. */
export function occurrences(): (key: string) => number {
  const seen = new Map<string, number>();
  return (key) => {
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return n;
  };
}
