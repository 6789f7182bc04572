// Worker for regex-linear.test.ts: times each pattern against adversarial strings built from its own source.
// In a worker so that a pattern that never finishes can be stopped from outside (terminate interrupts a match).
import { parentPort } from 'node:worker_threads';

export interface Probe {
  id: number;
  source: string;
  flags: string;
}
export type ProbeReport =
  | { id: number; kind: 'start' }
  | { id: number; kind: 'tick' }
  | { id: number; kind: 'result'; worstMs: number; input: string }
  | { id: number; kind: 'error'; message: string };

/** Length of every adversarial string. */
export const inputLength = 1 << 20;
/** Characters whose pairs alternate in an input (of those the pattern mentions, in its order). */
const pairedChars = 10;
/** A time this long is measured twice more and the best kept: scheduler noise only ever adds time. */
const retryAboveMs = 50;

const escapeSamples: Record<string, string[]> = {
  d: ['7'],
  D: ['a'],
  w: ['a', '_'],
  W: ['!', '-'],
  s: [' ', '\t'],
  S: ['a'],
  n: ['\n'],
  r: ['\r'],
  t: ['\t'],
  b: [],
  B: [],
};

/** Characters the pattern mentions: literal ones (escaped or not), and a sample of each class escape and `.`. */
export function mentioned(source: string): string[] {
  const chars = new Set<string>();
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch !== '\\') {
      chars.add(ch === '.' ? 'a' : ch);
      continue;
    }
    const next = source[++i] ?? '';
    const hex = next === 'x' ? source.slice(i + 1, i + 3) : next === 'u' && source[i + 1] !== '{' ? source.slice(i + 1, i + 5) : '';
    if (hex !== '' && /^[0-9a-fA-F]+$/.test(hex)) {
      chars.add(String.fromCharCode(parseInt(hex, 16)));
      i += hex.length;
    } else if (next === 'p' || next === 'P') {
      for (const c of ['a', 'Z', '7', ' ', 'é']) chars.add(c);
    } else for (const c of escapeSamples[next] ?? [next]) chars.add(c);
  }
  return [...chars];
}

/** The literal text the pattern starts with (after a `^`), up to its first metacharacter. */
function literalPrefix(source: string): string {
  let out = '';
  for (let i = source.startsWith('^') ? 1 : 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\' && /[^\w\s]/.test(source[i + 1] ?? '')) out += source[++i];
    else if (/[\\^$.|?*+()[\]{}]/.test(ch)) break;
    else out += ch;
  }
  // A quantifier right after binds to the last character only.
  return /^[?*+{]/.test(source.slice(source.indexOf(out) + out.length)) ? out.slice(0, -1) : out;
}

/** A character the pattern never mentions, to end each input with a forced failure. */
function stranger(chars: string[]): string {
  return ['\u0001', '~', '#', '\n', ' ', '!', 'q'].find((c) => !chars.includes(c)) ?? '\u0002';
}

export function* adversarial(source: string): Generator<{ label: string; text: string }> {
  const chars = mentioned(source);
  const end = stranger(chars);
  const prefix = literalPrefix(source);
  const run = (unit: string, lead = '') =>
    lead + unit.repeat(Math.ceil((inputLength - lead.length) / unit.length)).slice(0, inputLength - lead.length - 1) + end;
  const show = (s: string) => JSON.stringify(s);
  // The prefix again and again: every one of them a start the pattern gets past before failing.
  if (prefix.length > 1) yield { label: `${show(prefix)} repeated`, text: run(prefix) };
  for (const c of chars) {
    yield { label: `run of ${show(c)}`, text: run(c) };
    if (prefix !== '') yield { label: `${show(prefix)} then a run of ${show(c)}`, text: run(c, prefix) };
  }
  // Pairs of the first few: enough for an ambiguous alternation or two overlapping classes, in a bounded time.
  const paired = chars.slice(0, pairedChars);
  for (let i = 0; i < paired.length; i++) {
    for (let j = i + 1; j < paired.length; j++)
      yield { label: `alternating ${show(paired[i]! + paired[j]!)}`, text: run(paired[i]! + paired[j]!) };
  }
}

function time(regex: RegExp, text: string): number {
  regex.lastIndex = 0;
  const started = performance.now();
  regex.exec(text);
  return performance.now() - started;
}

function probe(p: Probe, tick: () => void): ProbeReport {
  let regex: RegExp;
  try {
    regex = new RegExp(p.source, p.flags);
  } catch (error) {
    return { id: p.id, kind: 'error', message: (error as Error).message };
  }
  let worstMs = 0;
  let input = '';
  for (const { label, text } of adversarial(p.source)) {
    let ms = time(regex, text);
    if (ms > retryAboveMs) ms = Math.min(ms, time(regex, text), time(regex, text));
    if (ms > worstMs) [worstMs, input] = [ms, label];
    tick();
  }
  return { id: p.id, kind: 'result', worstMs, input };
}

parentPort?.on('message', (probes: Probe[]) => {
  for (const p of probes) {
    parentPort!.postMessage({ id: p.id, kind: 'start' } satisfies ProbeReport);
    parentPort!.postMessage(probe(p, () => parentPort!.postMessage({ id: p.id, kind: 'tick' } satisfies ProbeReport)));
  }
  parentPort!.close();
});
