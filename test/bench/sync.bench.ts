// History sync at scale (issue 15): a machine with SYNC_BENCH_RUNS runs (1,000,000 by default) sets up sync in a
// folder; a new machine joins and takes them all (its first sync: time and peak RSS, in a process of its own);
// 100 new runs written on the first reach the second's database through its folder watch (time after the
// folder holds them); bytes per run in the folder, next to the same runs as a timestamped bash history file
// compressed by `gzip -9` (what syncing the plain history file would move), and brotli against deflate.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { searchQuery } from '../../main/history/contract.ts';
import { createHistoryService } from '../../main/history/service.ts';
import { openHistoryDb, runWriter } from '../../main/history/store.ts';
import { startAutoSync } from '../../main/history/sync/auto-sync.ts';
import { encodeRecords, type SyncRun } from '../../main/history/sync/records.ts';
import { syncLock } from '../../main/history/sync/handlers.ts';
import { setupSync, syncNow } from '../../main/history/sync/sync.ts';
import { runUid } from '../../main/history/sync/uid.ts';
import { benchHistory } from './sync-history.ts';
import { stallProbe } from '../support/stall-probe.ts';
import { loadAverage, percentile, report, withTempHome } from './support.ts';

const runs = Number(process.env.SYNC_BENCH_RUNS ?? 1_000_000);
const here = fileURLToPath(import.meta.url);

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) total += statSync(path.join(entry.parentPath, entry.name)).size;
  return total;
}

/** Peak RSS of this process so far (the worker thread's memory included), in MB. */
const peakRssMb = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;

/**
 * The joining machine, in a process of its own, as the app's host runs it: the sync on the history worker thread,
 * while this thread answers a search after every segment applied (its longest busy stretch and the searches' CPU
 * are this thread's own, so the machine's load does not colour them).
 */
async function joinChild(dataDir: string, folder: string, words: string): Promise<void> {
  const service = createHistoryService(dataDir);
  const probe = stallProbe();
  const searchCpu: number[] = [];
  const rss: number[] = [];
  const started = performance.now();
  const cpu = process.cpuUsage();
  const r = await service.sync({ op: 'join', env: process.env, target: { kind: 'folder', dir: folder }, words, name: 'desktop' }, (p) => {
    if (p.phase !== 'read') return;
    rss.push(process.memoryUsage.rss() / 1e6);
    const before = process.threadCpuUsage();
    service.search(searchQuery.parse({ query: 'git', limit: 50 }));
    const used = process.threadCpuUsage(before);
    searchCpu.push((used.user + used.system) / 1000);
  });
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const stall = probe.stop();
  searchCpu.sort((x, y) => x - y);
  const line = {
    ms,
    cpuMs: (used.user + used.system) / 1000,
    added: r.report.addedRuns,
    hwmMb: peakRssMb(),
    rssTenthMb: rss[Math.floor(rss.length / 10)] ?? 0,
    rssLastMb: rss.at(-1) ?? 0,
    searches: searchCpu.length,
    searchP50: percentile(searchCpu, 50),
    searchMax: searchCpu.at(-1) ?? 0,
    longestBusyMs: stall.longestBusyMs,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  service.close();
}

async function main(): Promise<void> {
  process.stdout.write(`${runs} runs; load average ${loadAverage()}\n`);
  await withTempHome(async (root) => {
    const folder = path.join(root, 'Sync');
    const a = path.join(root, 'laptop');
    const b = path.join(root, 'desktop');
    const dbA = openHistoryDb(a);
    const all = benchHistory(runs);
    const writer = runWriter(dbA);
    for (let i = 0; i < all.length; i += 50_000) writer.write(all.slice(i, i + 50_000));

    // Compression: one segment's worth of runs, both ways.
    const sample: SyncRun[] = all.slice(0, 20_000).map(({ dedupe, ...r }) => ({ ...r, uid: runUid(dedupe, r.command) }));
    for (const [name, how] of [
      ['brotli q5', 1],
      ['deflate 9', 2],
    ] as const) {
      const cpu = process.cpuUsage();
      const body = encodeRecords({ hostName: 'laptop', runs: sample, tombstones: [], settings: null }, how);
      const used = process.cpuUsage(cpu);
      report(`segment body, ${name}`, body.length / sample.length, 'B/run');
      report(`  its CPU for 20,000 runs`, (used.user + used.system) / 1000, 'ms');
    }

    let started = performance.now();
    const cpuA = process.cpuUsage();
    const setup = await setupSync(dbA, a, { kind: 'folder', dir: folder }, process.env, undefined, 'laptop');
    const usedA = process.cpuUsage(cpuA);
    report('first machine writes all its runs', (performance.now() - started) / 1000, 's');
    report('  its CPU time', (usedA.user + usedA.system) / 1e6, 's');
    const perRun = folderBytes(folder) / runs;
    report('bytes per run in the folder (sealed)', perRun, 'B/run', { below: 80 });
    // The peer: the same runs as a timestamped bash history file, gzip -9.
    const plain = path.join(root, 'bash_history');
    writeFileSync(plain, all.map((r) => `#${Math.floor(r.startedAt / 1000)}\n${r.command}\n`).join(''));
    const gz = spawnSync('gzip', ['-9', '-c', plain], { maxBuffer: 1 << 30 });
    if (gz.stdout) report('peer: bash_history (time + command) gzip -9', gz.stdout.length / runs, 'B/run');

    started = performance.now();
    const child = spawnSync(process.execPath, [here, '--join', b, folder, setup.words.join(' ')], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (child.status !== 0) throw new Error(`join failed: ${child.stderr}`);
    const joined = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
    if (joined.added !== runs) throw new Error(`the new machine took ${joined.added} runs of ${runs}`);
    const seconds = joined.ms! / 1000;
    report(`first sync of ${runs} runs to a new machine (on the worker thread)`, seconds, 's', {
      below: runs >= 1_000_000 ? 60 : (60 * runs) / 1_000_000,
    });
    report('  runs per second', runs / seconds, 'runs/s');
    report('  its CPU time, all threads (the machine is shared: wall time waits for a core)', joined.cpuMs! / 1000, 's');
    report('  peer: atuin sync, published (atuinsh/atuin#3944: 12.258 s per 200k, download only)', (12.258 * runs) / 200_000, 's');
    report('  peak RSS of the host process (worker included)', joined.hwmMb!, 'MB');
    report('  RSS after a tenth of the segments', joined.rssTenthMb!, 'MB');
    report('  RSS after the last segment', joined.rssLastMb!, 'MB');
    // Thread CPU is counted in scheduler ticks: a search shorter than one shows as 0.
    report(`  host thread: a search after each segment (${joined.searches}), median CPU`, joined.searchP50!, 'ms');
    report('  host thread: slowest of those searches, CPU', joined.searchMax!, 'ms');
    report('  host thread: longest busy stretch during the sync, CPU', joined.longestBusyMs!, 'ms', { below: 100 });

    // 100 new runs: visible on the other machine how long after the folder holds them.
    const dbB = openHistoryDb(b);
    const service = createHistoryService(b);
    const auto = startAutoSync(service, process.env, syncLock(), { afterRunsMs: 3_600_000, afterFolderMs: 50, periodMs: 3_600_000 });
    const lags: number[] = [];
    // The watches and timers of auto-sync never keep a process alive (the CLI's host must end): this bench waits on them.
    const keepAlive = setInterval(() => undefined, 1000);
    try {
      for (let round = 0; round < 5; round++) {
        const fresh = benchHistory(runs + 100 * (round + 1))
          .slice(-100)
          .map((r) => ({ ...r, dedupe: `${r.dedupe}:${round}` }));
        let resolveDone: () => void = () => undefined;
        const done = new Promise<void>((resolve) => {
          resolveDone = resolve;
        });
        const stop = auto.subscribe((e) => {
          if (e.type === 'done' && e.report.addedRuns > 0) resolveDone();
        });
        writer.write(fresh);
        await syncNow(dbA, a, process.env);
        const written = performance.now();
        await done;
        lags.push(performance.now() - written);
        stop();
      }
    } finally {
      clearInterval(keepAlive);
      auto.close();
      service.close();
    }
    lags.sort((x, y) => x - y);
    report('100 new runs visible on the other machine, median', percentile(lags, 50), 'ms', { below: 1000 });
    report('  worst of 5', lags.at(-1)!, 'ms', { below: 1000 });
    dbA.close();
    dbB.close();
  });
}

if (process.argv[2] === '--join') await joinChild(process.argv[3]!, process.argv[4]!, process.argv[5]!);
else await main();
