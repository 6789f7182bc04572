// fish's history file: `- cmd: <text>` items with indented `when:` (or `added_when:`) and `paths:`; unknown
// keys are tolerated. It keeps one item per distinct command (when = its last run), so counts are lost.
import { lines, tooLongProblem, type HistoryBytes, type ImportItem } from './lines.ts';

/** fish escapes only `\\` and `\n`; decoded in one left-to-right pass (two replace() calls corrupt `\\n`). */
export function decodeFish(text: string): string {
  return text.replace(/\\([\\n])/g, (_, ch: string) => (ch === 'n' ? '\n' : '\\'));
}

export function* parseFish(data: HistoryBytes): Generator<ImportItem> {
  let command: string | null = null;
  let when: number | null = null;
  let at = 0;
  function* flush(): Generator<ImportItem> {
    if (command !== null && command.trim() !== '') {
      yield {
        kind: 'run',
        command,
        startedAt: when === null ? null : when * 1000,
        durationMs: null,
        dedupe: `fish:${when ?? '?'}:{cmd}`,
        at,
      };
    }
    command = null;
    when = null;
  }
  for (const line of lines(data)) {
    at = line.end;
    if (line.tooLong) {
      // What came before it is kept (an item's cmd and when come first); the rest of its item is dropped.
      yield* flush();
      command = null;
      yield tooLongProblem(line);
      continue;
    }
    const text = line.raw.toString('utf8');
    if (text.startsWith('- cmd:')) {
      yield* flush();
      command = decodeFish(text.slice('- cmd:'.length).replace(/^ /, ''));
      continue;
    }
    if (text.trim() === '') continue;
    // Linear: anchored, and each part's characters differ from the next part's.
    const field = /^ {2}(when|added_when): *(\S*)$/.exec(text);
    if (field) {
      // Up to 12 digits: a time in ms stays a safe integer.
      if (/^\d{1,12}$/.test(field[2]!)) when = Number(field[2]);
      else yield { kind: 'problem', line: line.number, message: `"${field[2]!.slice(0, 40)}" is not a time` };
      continue;
    }
    if (text.startsWith(' ')) continue; // paths: and its list, or keys we do not use
    yield { kind: 'problem', line: line.number, message: `"${text.slice(0, 40)}" is not part of a fish history item` };
  }
  yield* flush();
}
