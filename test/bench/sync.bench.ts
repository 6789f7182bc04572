// History sync at scale (issue 15): a machine with SYNC_BENCH_RUNS runs (1,000,000 by default) sets up sync in a
// folder; a new machine joins and takes them all (its first sync: time and peak RSS, in a process of its own);
// 100 new runs written on the first reach the second's database through its folder watch (time after the
// folder holds them); bytes per run in the folder, next to the same runs as a timestamped bash history file
// compressed by `gzip -9` (what syncing the plain history file would move), and brotli against deflate.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHistoryService } from '../../main/history/service.ts';
import { openHistoryDb, runWriter, type RunRecord } from '../../main/history/store.ts';
import { startAutoSync } from '../../main/history/sync/auto-sync.ts';
import { encodeRecords, type SyncRun } from '../../main/history/sync/records.ts';
import { syncLock } from '../../main/history/sync/handlers.ts';
import { joinSync, setupSync, syncNow } from '../../main/history/sync/sync.ts';
import { runUid } from '../../main/history/sync/uid.ts';
import { seededRandom } from '../unit/history/random-history.ts';
import { loadAverage, percentile, report, withTempHome } from './support.ts';

const runs = Number(process.env.SYNC_BENCH_RUNS ?? 1_000_000);
const here = fileURLToPath(import.meta.url);

/** A plausible mix: ~20 % distinct commands drawn with a skew, sessions of ~50 commands, seconds to minutes apart. */
function history(n: number): RunRecord[] {
  const rand = seededRandom(15);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const word = () => pick(['api', 'web', 'core', 'auth', 'db', 'cache', 'worker', 'cli', 'ui', 'infra', 'docs', 'tests']);
  const file = () =>
    `${pick(['src', 'lib', 'test', 'cmd'])}/${word()}/${word()}${Math.floor(rand() * 90)}.${pick(['ts', 'go', 'py', 'md'])}`;
  const makers: (() => string)[] = [
    () => `git ${pick(['status', 'diff', 'log --oneline', 'pull', 'push', 'stash'])}`,
    () => `git checkout ${pick(['feature', 'fix'])}/${word()}-${Math.floor(rand() * 5000)}`,
    () => `git commit -m "${pick(['fix', 'add', 'update'])} ${word()} ${word()} ${Math.floor(rand() * 1000)}"`,
    () => `vim ${file()}`,
    () => `cd ~/src/${word()}/${word()}`,
    () => `kubectl get pods --namespace ${word()}-${pick(['dev', 'staging', 'prod'])} -l app=${word()}`,
    () => `docker exec -it ${Math.floor(rand() * 0xfffffff).toString(16)} sh`,
    () => `npm run ${pick(['build', 'test', 'lint', 'dev'])}`,
    () => `grep -rn "${word()}${Math.floor(rand() * 500)}" ${file()}`,
    () => `ssh ${pick(['deploy', 'root'])}@${word()}-${Math.floor(rand() * 200)}.example.net`,
    () => `make -C ${word()} ${pick(['all', 'test', 'clean'])}`,
  ];
  const distinct = Array.from({ length: Math.max(10, Math.round(n / 5)) }, () => pick(makers)());
  const out: RunRecord[] = [];
  let at = 1_700_000_000_000;
  let session = '';
  let cwd = '/home/me';
  for (let i = 0; i < n; i++) {
    if (i % 50 === 0) session = `s-${Math.floor(rand() * 1e9).toString(36)}`;
    if (rand() < 0.1) cwd = `/home/me/src/${word()}`;
    at += 1000 + Math.floor(rand() * 120_000);
    const command = distinct[Math.floor(distinct.length * rand() ** 3)]!;
    out.push({
      command,
      startedAt: at,
      durationMs: Math.floor(rand() * 3000),
      exit: rand() < 0.9 ? 0 : 1,
      cwd,
      session,
      host: 'laptop',
      user: 'me',
      shell: 'zsh',
      source: 'hook',
      dedupe: `h:${session}:${at}`,
    });
  }
  return out;
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) total += statSync(path.join(entry.parentPath, entry.name)).size;
  return total;
}

/** The joining machine, in a process of its own: its time and peak RSS are its own. */
async function joinChild(dataDir: string, folder: string, words: string): Promise<void> {
  const db = openHistoryDb(dataDir);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const r = await joinSync(db, dataDir, { kind: 'folder', dir: folder }, words, process.env, undefined, 'desktop');
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;
  process.stdout.write(`${JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, added: r.report.addedRuns, hwmMb: hwm })}\n`);
  db.close();
}

async function main(): Promise<void> {
  process.stdout.write(`${runs} runs; load average ${loadAverage()}\n`);
  await withTempHome(async (root) => {
    const folder = path.join(root, 'Sync');
    const a = path.join(root, 'laptop');
    const b = path.join(root, 'desktop');
    const dbA = openHistoryDb(a);
    const all = history(runs);
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
    const joined = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { ms: number; cpuMs: number; added: number; hwmMb: number };
    if (joined.added !== runs) throw new Error(`the new machine took ${joined.added} runs of ${runs}`);
    report(`first sync of ${runs} runs to a new machine`, joined.ms / 1000, 's', {
      below: runs >= 1_000_000 ? 60 : (60 * runs) / 1_000_000,
    });
    report('  its CPU time (the machine is shared: wall time waits for a core)', joined.cpuMs / 1000, 's');
    report('  its peak RSS', joined.hwmMb, 'MB');

    // 100 new runs: visible on the other machine how long after the folder holds them.
    const dbB = openHistoryDb(b);
    const service = createHistoryService(b);
    const auto = startAutoSync(service, process.env, syncLock(), { afterRunsMs: 3_600_000, afterFolderMs: 50, periodMs: 3_600_000 });
    const lags: number[] = [];
    try {
      for (let round = 0; round < 5; round++) {
        const fresh = history(runs + 100 * (round + 1))
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
