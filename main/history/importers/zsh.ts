// zsh's history file: `: <start>:<elapsed>;<command>` (EXTENDED_HISTORY) or plain lines, possibly mixed.
// Embedded newlines are stored as backslash-newline, and bytes 0x00 and 0x83–0xA2 are "metafied"
// (0x83 then byte ^ 0x20), which must be undone before the bytes are read as UTF-8.
import { importLimits, lines, occurrences, type HistoryBytes, type ImportItem } from './lines.ts';

export function unmetafy(data: Buffer): Buffer {
  if (!data.includes(0x83)) return data;
  const out = Buffer.allocUnsafe(data.length);
  let o = 0;
  for (let i = 0; i < data.length; i++) {
    const byte = data[i]!;
    if (byte === 0x83 && i + 1 < data.length) out[o++] = data[++i]! ^ 0x20;
    else out[o++] = byte;
  }
  return out.subarray(0, o);
}

/** Backslashes at the end of `raw`, counted from the end (a regex like /\\+$/ is quadratic on a line of them). */
function trailingBackslashes(raw: Buffer): number {
  let n = 0;
  while (n < raw.length && raw[raw.length - 1 - n] === 0x5c) n++;
  return n;
}

export function* parseZsh(data: HistoryBytes): Generator<ImportItem> {
  const seen = occurrences();
  let pending: string[] = [];
  let pendingBytes = 0;
  let tooLong = false;
  let firstLine = 0;
  let end = 0;
  const tooLongItem = (): ImportItem => ({
    kind: 'problem',
    line: firstLine,
    message: `the command at line ${firstLine} is longer than ${importLimits.commandBytes} bytes; skipped`,
  });
  for (const line of lines(data)) {
    end = line.end;
    if (pending.length === 0 && !tooLong) firstLine = line.number;
    // A metafied pair never holds a newline, so each line can be unmetafied on its own.
    const raw = unmetafy(line.raw);
    // An odd number of trailing backslashes: the command goes on on the next line.
    const continues = !line.tooLong && trailingBackslashes(raw) % 2 === 1;
    pendingBytes += raw.length + 1;
    if (line.tooLong || pendingBytes > importLimits.commandBytes) {
      tooLong = true;
      pending = [];
    }
    if (!tooLong) pending.push(raw.toString('utf8', 0, continues ? raw.length - 1 : raw.length));
    if (continues) continue;
    if (tooLong) yield tooLongItem();
    else yield* entryItem(pending.join('\n'), firstLine, line.end, seen);
    pending = [];
    pendingBytes = 0;
    tooLong = false;
  }
  if (tooLong) yield tooLongItem();
  else if (pending.length) yield* entryItem(pending.join('\n'), firstLine, end, seen);
}

function* entryItem(entry: string, line: number, at: number, seen: (key: string) => number): Generator<ImportItem> {
  if (entry.trim() === '') return;
  if (entry.startsWith(': ')) {
    // Linear: anchored, and no two neighbouring parts can match the same characters.
    const m = /^: (\d{1,12}):(\d{1,12});([\s\S]*)$/.exec(entry);
    if (!m) {
      yield { kind: 'problem', line, message: `"${entry.slice(0, 40)}" is not a ": start:elapsed;command" line` };
      return;
    }
    const start = Number(m[1]);
    const command = m[3]!;
    if (command.trim() === '') return;
    // An elapsed time of 0 usually means "written before it finished", not "instant".
    const elapsed = Number(m[2]);
    yield {
      kind: 'run',
      command,
      startedAt: start * 1000,
      durationMs: elapsed > 0 ? elapsed * 1000 : null,
      dedupe: `zsh:${start}:{cmd}:${seen(`${start}:${command}`)}`,
      at,
    };
    return;
  }
  const command = entry.startsWith('\\:') ? entry.slice(1) : entry;
  yield { kind: 'run', command, startedAt: null, durationMs: null, dedupe: 'zsh:?:{cmd}', at };
}
