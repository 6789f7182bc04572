// Small shared pieces for benches: timing, percentiles, a temp LANYARD_HOME, and the table they print.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { statFields } from '../support/proc-stat.ts';

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

const ticksPerSecond = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** utime + stime of a process, in seconds. */
export function cpuSeconds(pid: number): number {
  const fields = statFields(pid);
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** The 1, 5 and 15 minute load averages: on a shared machine, what explains a slow figure. */
export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

export function withTempHome<T>(fn: (home: string) => Promise<T>): Promise<T> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'lanyard-bench-'));
  return fn(home).finally(() => rmSync(home, { recursive: true, force: true }));
}

/** One line per figure: name, value, unit, and the aim it is held against. */
export function report(name: string, value: number, unit: string, aim?: { below?: number; above?: number }): void {
  const verdict =
    aim?.below !== undefined
      ? value < aim.below
        ? `ok (aim < ${aim.below} ${unit})`
        : `OVER aim < ${aim.below} ${unit}`
      : aim?.above !== undefined
        ? value > aim.above
          ? `ok (aim > ${aim.above})`
          : `UNDER aim > ${aim.above}`
        : '';
  process.stdout.write(`${name.padEnd(44)} ${value.toFixed(value < 10 ? 2 : 1).padStart(10)} ${unit.padEnd(6)} ${verdict}\n`);
}
