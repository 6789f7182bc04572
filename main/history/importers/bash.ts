// bash's history file. With HISTTIMEFORMAT, each entry follows a `#<epoch>` line and runs to the next one
// (so multi-line commands survive); without, every line is an entry and there is no time at all.
import { importLimits, lines, occurrences, tooLongProblem, type HistoryBytes, type ImportItem, type Line } from './lines.ts';

const hash = 0x23;
const isDigit = (byte: number | undefined) => byte !== undefined && byte >= 0x30 && byte <= 0x39;
/** bash takes any line that is the comment character followed by a digit for a timestamp. */
const looksLikeStamp = (line: Line) => line.raw[0] === hash && isDigit(line.raw[1]);
/** Up to 12 digits: a time in ms stays a safe integer (past that a line is reported, not read as a time). */
const isStamp = (line: Line) => looksLikeStamp(line) && line.raw.length <= 13 && line.raw.subarray(1).every((byte) => isDigit(byte));

export function* parseBash(data: HistoryBytes): Generator<ImportItem> {
  const seen = occurrences();
  // A first pass over the file: whether it has any timestamp at all decides how every line is read.
  let timed = false;
  for (const line of lines(data)) {
    if (isStamp(line)) {
      timed = true;
      break;
    }
  }
  let epoch: number | null = null;
  let stampLine = 0;
  let body: string[] = [];
  let bodyBytes = 0;
  let bodyTooLong = false;
  let at = 0;

  function* flush(): Generator<ImportItem> {
    if (epoch === null) return;
    const command = body.join('\n');
    if (bodyTooLong)
      yield {
        kind: 'problem',
        line: stampLine,
        message: `the command after this timestamp is longer than ${importLimits.commandBytes} bytes; skipped`,
      };
    else if (command.trim() === '') yield { kind: 'problem', line: stampLine, message: 'a timestamp with no command after it' };
    else {
      const key = `${epoch}:${command}`;
      yield { kind: 'run', command, startedAt: epoch * 1000, durationMs: null, dedupe: `bash:${epoch}:{cmd}:${seen(key)}`, at };
    }
    epoch = null;
    body = [];
    bodyBytes = 0;
    bodyTooLong = false;
  }

  for (const line of lines(data)) {
    if (timed && looksLikeStamp(line)) {
      yield* flush();
      at = line.end;
      if (!isStamp(line)) {
        yield {
          kind: 'problem',
          line: line.number,
          message: `"${line.raw.toString('utf8', 0, 40)}" looks like a timestamp to bash but is not one we can read`,
        };
        continue;
      }
      epoch = Number(line.raw.toString('latin1', 1));
      stampLine = line.number;
      continue;
    }
    at = line.end;
    if (line.tooLong) {
      if (epoch !== null) bodyTooLong = true;
      else yield tooLongProblem(line);
      continue;
    }
    if (epoch !== null) {
      bodyBytes += line.raw.length + 1;
      if (bodyBytes > importLimits.commandBytes) {
        bodyTooLong = true;
        body = [];
      }
      if (!bodyTooLong) body.push(line.raw.toString('utf8'));
      continue;
    }
    const text = line.raw.toString('utf8');
    if (text.trim() !== '') yield { kind: 'run', command: text, startedAt: null, durationMs: null, dedupe: 'bash:?:{cmd}', at };
  }
  yield* flush();
}
