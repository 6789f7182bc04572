// Small shared pieces for benches: timing, percentiles, a temp LANYARD_HOME, and the table they print.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Run fn n times, return the sorted durations in ms. */
export async function timeRuns(n: number, fn: () => unknown): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

export function withTempHome<T>(fn: (home: string) => Promise<T>): Promise<T> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'lanyard-bench-'));
  return fn(home).finally(() => rmSync(home, { recursive: true, force: true }));
}

/** One line per figure: name, value, unit, and the aim it is held against. */
export function report(name: string, value: number, unit: string, aim?: { below?: number; above?: number }): void {
  const verdict = aim?.below !== undefined ? (value < aim.below ? `ok (aim < ${aim.below} ${unit})` : `OVER aim < ${aim.below} ${unit}`) : aim?.above !== undefined ? (value > aim.above ? `ok (aim > ${aim.above})` : `UNDER aim > ${aim.above}`) : '';
  process.stdout.write(`${name.padEnd(44)} ${value.toFixed(value < 10 ? 2 : 1).padStart(10)} ${unit.padEnd(6)} ${verdict}\n`);
}
