// bash's history file. With HISTTIMEFORMAT, each entry follows a `#<epoch>` line and runs to the next one
// (so multi-line commands survive); without, every line is an entry and there is no time at all.
import { lines, occurrences, type ImportItem } from './lines.ts';

export function* parseBash(data: Buffer): Generator<ImportItem> {
  const seen = occurrences();
  // bash takes any line that is the comment character followed by a digit for a timestamp.
  const timed = /(^|\n)#\d+\r?\n/.test(data.toString('latin1'));
  let epoch: number | null = null;
  let stampLine = 0;
  let body: string[] = [];
  let at = 0;

  function* flush(): Generator<ImportItem> {
    if (epoch === null) return;
    const command = body.join('\n');
    if (command.trim() === '') yield { kind: 'problem', line: stampLine, message: 'a timestamp with no command after it' };
    else {
      const key = `${epoch}:${command}`;
      yield { kind: 'run', command, startedAt: epoch * 1000, durationMs: null, dedupe: `bash:${epoch}:{cmd}:${seen(key)}`, at };
    }
    epoch = null;
    body = [];
  }

  for (const line of lines(data)) {
    if (timed && /^#\d/.test(line.text)) {
      yield* flush();
      at = line.end;
      if (!/^#\d+$/.test(line.text)) {
        yield { kind: 'problem', line: line.number, message: `"${line.text.slice(0, 40)}" looks like a timestamp to bash but is not one` };
        continue;
      }
      epoch = Number(line.text.slice(1));
      stampLine = line.number;
      continue;
    }
    at = line.end;
    if (epoch !== null) body.push(line.text);
    else if (line.text.trim() !== '') yield { kind: 'run', command: line.text, startedAt: null, durationMs: null, dedupe: 'bash:?:{cmd}', at };
  }
  yield* flush();
}
