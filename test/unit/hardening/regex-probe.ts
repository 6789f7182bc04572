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

/** An input to build: `lead`, then `unit` repeated to ~1 MB, then `end`. Built once for all the patterns that ask. */
interface InputSpec {
  label: string;
  unit: string;
  lead: string;
  end: string;
}

function build({ unit, lead, end }: InputSpec): string {
  return lead + unit.repeat(Math.ceil((inputLength - lead.length) / unit.length)).slice(0, inputLength - lead.length - 1) + end;
}

export function* adversarial(source: string): Generator<InputSpec> {
  const chars = mentioned(source);
  const end = stranger(chars);
  const prefix = literalPrefix(source);
  const show = (s: string) => JSON.stringify(s);
  // The prefix again and again: every one of them a start the pattern gets past before failing.
  if (prefix.length > 1) yield { label: `${show(prefix)} repeated`, unit: prefix, lead: '', end };
  for (const c of chars) {
    yield { label: `run of ${show(c)}`, unit: c, lead: '', end };
    if (prefix !== '') yield { label: `${show(prefix)} then a run of ${show(c)}`, unit: c, lead: prefix, end };
  }
  // Pairs of the first few: enough for an ambiguous alternation or two overlapping classes, in a bounded time.
  const paired = chars.slice(0, pairedChars);
  for (let i = 0; i < paired.length; i++) {
    for (let j = i + 1; j < paired.length; j++)
      yield { label: `alternating ${show(paired[i]! + paired[j]!)}`, unit: paired[i]! + paired[j]!, lead: '', end };
  }
}

function time(regex: RegExp, text: string): number {
  regex.lastIndex = 0;
  const started = performance.now();
  regex.exec(text);
  return performance.now() - started;
}

// Input by input, not pattern by pattern: building and flattening 1 MB takes ~8 ms and matching it far less, and
// most patterns ask for the same inputs (runs of the same few characters, ending in the same stranger).
parentPort?.on('message', (probes: Probe[]) => {
  const post = (report: ProbeReport) => parentPort!.postMessage(report);
  const compiled = new Map<number, { regex: RegExp; worstMs: number; input: string }>();
  const inputs = new Map<string, { spec: InputSpec; uses: { id: number; label: string }[] }>();
  for (const p of probes) {
    try {
      compiled.set(p.id, { regex: new RegExp(p.source, p.flags), worstMs: 0, input: '' });
    } catch (error) {
      post({ id: p.id, kind: 'error', message: (error as Error).message });
      continue;
    }
    for (const spec of adversarial(p.source)) {
      const key = `${spec.unit}\u0000${spec.lead}\u0000${spec.end}`;
      let entry = inputs.get(key);
      if (!entry) inputs.set(key, (entry = { spec, uses: [] }));
      entry.uses.push({ id: p.id, label: spec.label });
    }
  }
  for (const { spec, uses } of inputs.values()) {
    const text = build(spec);
    for (const { id, label } of uses) {
      const probe = compiled.get(id)!;
      post({ id, kind: 'start' });
      let ms = time(probe.regex, text);
      if (ms > retryAboveMs) ms = Math.min(ms, time(probe.regex, text), time(probe.regex, text));
      if (ms > probe.worstMs) [probe.worstMs, probe.input] = [ms, label];
    }
  }
  for (const [id, { worstMs, input }] of compiled) post({ id, kind: 'result', worstMs, input });
  parentPort!.close();
});
