// The host's opt-in event-loop delay report (what the soak bench reads): off unless asked, one JSON line per
// SIGUSR2 when on, counting only since the previous report.
import { fork, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApi } from '../../../main/contract/api.ts';
import { createClient } from '../../../main/contract/client.ts';
import type { ClientMessage, HostMessage } from '../../../main/contract/index.ts';
import { loopDelayMarker, loopDelayVariable, type LoopDelayReport } from '../../../main/host/loop-delay.ts';
import { ipcChannel } from '../../../main/host/port-channel.ts';
import { outDir } from '../../support/paths.ts';
import { tempDir } from '../../support/temp-dir.ts';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

async function startHost(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; stderr: () => string; home: string }> {
  const home = tempDir();
  const child = fork(path.join(outDir, 'host.js'), [], {
    env: { ...process.env, LANYARD_HOME: home, ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`host exited with ${code}: ${stderr}`)));
  });
  return { child, stderr: () => stderr, home };
}

async function nextReport(child: ChildProcess, stderr: () => string, index: number): Promise<LoopDelayReport> {
  child.kill('SIGUSR2');
  for (let waited = 0; waited < 5000; waited += 20) {
    const lines = stderr()
      .split('\n')
      .filter((l) => l.startsWith(loopDelayMarker));
    if (lines.length > index) return JSON.parse(lines[index]!.slice(loopDelayMarker.length)) as LoopDelayReport;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no loop-delay report on stderr: ${stderr()}`);
}

describe('the host event-loop delay report', () => {
  it('reports the delay since the last report on each SIGUSR2 when asked', async () => {
    const { child, stderr } = await startHost({ [loopDelayVariable]: '1' });
    await new Promise((r) => setTimeout(r, 500));
    const first = await nextReport(child, stderr, 0);
    // One sample every 10 ms over at least half a second.
    expect(first.samples).toBeGreaterThan(20);
    expect(first.maxMs).toBeGreaterThanOrEqual(first.p99Ms);
    expect(first.p99Ms).toBeGreaterThanOrEqual(first.meanMs);
    expect(first.meanMs).toBeGreaterThan(0);
    const second = await nextReport(child, stderr, 1);
    // Started over: only the moment between the two signals.
    expect(second.samples).toBeLessThan(first.samples);
    expect(child.exitCode).toBeNull();
  });

  it("lists the process's memory and each thread's heap, the workers the host started included, and GC time", async () => {
    const { child, stderr, home } = await startHost({ [loopDelayVariable]: '1' });
    const api = buildApi(createClient(ipcChannel<HostMessage, ClientMessage>(child)));
    // History's spool worker: started by the first spool pass once a client follows history's changes. A shell's
    // hook appends (making the spool folder if the host has not yet) until the pass has run.
    const unsubscribe = api.history.changes({}, { next: () => undefined, error: () => undefined });
    const spool = path.join(home, 'spool');
    const reports: LoopDelayReport[] = [];
    do {
      mkdirSync(spool, { recursive: true, mode: 0o700 });
      appendFileSync(path.join(spool, 'test.spool'), 'not a record\n');
      await new Promise((r) => setTimeout(r, 100));
      reports.push(await nextReport(child, stderr, reports.length));
    } while (reports.at(-1)!.threads.length < 2 && reports.length < 50);
    const report = reports.at(-1)!;
    unsubscribe();
    const [host, ...workers] = report.threads;
    expect(host!.thread).toBe('host');
    expect(host!.heapUsedMb).toBeGreaterThan(1);
    expect(host!.heapTotalMb).toBeGreaterThanOrEqual(host!.heapUsedMb);
    expect(workers.length, JSON.stringify(report.threads)).toBeGreaterThanOrEqual(1);
    for (const worker of workers) expect(worker.heapUsedMb).toBeGreaterThan(0);
    expect(report.rssMb).toBeGreaterThan(host!.heapTotalMb);
    expect(report.externalMb).toBeGreaterThan(0);
    // Loading the services took CPU on the host's thread and some GC (each report starts over: the first has it).
    expect(reports[0]!.busyMaxMs).toBeGreaterThan(0);
    expect(reports.reduce((sum, r) => sum + r.gcMs, 0)).toBeGreaterThan(0);
    expect(Array.isArray(report.longGc)).toBe(true);
  });

  it('installs nothing when not asked: SIGUSR2 keeps its default action', async () => {
    const { child, stderr } = await startHost({ [loopDelayVariable]: '' });
    const exit = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGUSR2');
    expect(await exit).toBe('SIGUSR2');
    expect(stderr()).not.toContain(loopDelayMarker);
  });
});
