// Shared by the text importers: split a history file into lines (LF or CRLF) with their numbers and offsets.

export interface Line {
  /** 1-based, as an editor shows it. */
  number: number;
  text: string;
  /** Byte offset just past this line, for progress. */
  end: number;
}

export function* lines(data: Buffer): Generator<Line> {
  let start = 0;
  let number = 1;
  while (start < data.length) {
    let nl = data.indexOf(0x0a, start);
    if (nl < 0) nl = data.length;
    const stop = nl > start && data[nl - 1] === 0x0d ? nl - 1 : nl;
    yield { number, text: data.toString('utf8', start, stop), end: nl + 1 };
    start = nl + 1;
    number++;
  }
}

/** What an importer yields: a run (with the byte offset reached, for progress) or a problem on a line. */
export type ImportItem =
  | { kind: 'run'; command: string; startedAt: number | null; durationMs: number | null; dedupe: string; at: number; extra?: Partial<ImportRunExtra> }
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
