// zsh's history file: `: <start>:<elapsed>;<command>` (EXTENDED_HISTORY) or plain lines, possibly mixed.
// Embedded newlines are stored as backslash-newline, and bytes 0x00 and 0x83–0xA2 are "metafied"
// (0x83 then byte ^ 0x20), which must be undone before the bytes are read as UTF-8.
import { lines, occurrences, type ImportItem } from './lines.ts';

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

export function* parseZsh(raw: Buffer): Generator<ImportItem> {
  const seen = occurrences();
  let pending: string[] = [];
  let firstLine = 0;
  for (const line of lines(unmetafy(raw))) {
    if (pending.length === 0) firstLine = line.number;
    // An odd number of trailing backslashes: the command goes on on the next line.
    // Counted by a loop: /\\+$/ retries from every backslash of a long run that something else ends.
    let trailing = 0;
    while (trailing < line.text.length && line.text[line.text.length - 1 - trailing] === '\\') trailing++;
    if (trailing % 2 === 1) {
      pending.push(line.text.slice(0, -1));
      continue;
    }
    pending.push(line.text);
    const entry = pending.join('\n');
    pending = [];
    yield* entryItem(entry, firstLine, line.end, seen);
  }
  if (pending.length) yield* entryItem(pending.join('\n'), firstLine, raw.length, seen);
}

function* entryItem(entry: string, line: number, at: number, seen: (key: string) => number): Generator<ImportItem> {
  if (entry.trim() === '') return;
  if (entry.startsWith(': ')) {
    const m = /^: (\d+):(\d+);([\s\S]*)$/.exec(entry);
    if (!m) {
      yield { kind: 'problem', line, message: `"${entry.slice(0, 40)}" is not a ": start:elapsed;command" line` };
      return;
    }
    const start = Number(m[1]);
    const command = m[3]!;
    if (command.trim() === '') return;
    // An elapsed time of 0 usually means "written before it finished", not "instant".
    const elapsed = Number(m[2]);
    yield { kind: 'run', command, startedAt: start * 1000, durationMs: elapsed > 0 ? elapsed * 1000 : null, dedupe: `zsh:${start}:{cmd}:${seen(`${start}:${command}`)}`, at };
    return;
  }
  const command = entry.startsWith('\\:') ? entry.slice(1) : entry;
  yield { kind: 'run', command, startedAt: null, durationMs: null, dedupe: 'zsh:?:{cmd}', at };
}
