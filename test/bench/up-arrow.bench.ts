// The context-aware Up-arrow: what the first Up costs (the hooks start out/picker.js --up-list once per walk;
// the later Ups walk the list in the shell and start nothing). Over UP_BENCH_RUNS runs (default 1,000,000; a short
// variant: UP_BENCH_RUNS=100000) in 200 directories and 2,000 sessions. The peer figure: `grep -m 200` for the
// same prefix over a file of the same commands, the floor for any Up that asks another process.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { recallList } from '../../main/history/recall.ts';
import { search } from '../../main/history/search/search.ts';
import { openHistoryDb, runWriter } from '../../main/history/store.ts';
import { nodeBin, outDir } from '../support/paths.ts';
import { seededRandom } from '../unit/history/random-history.ts';
import { loadAverage, percentile, report, timeRuns, withTempHome } from './support.ts';

const runs = Number(process.env.UP_BENCH_RUNS ?? 1_000_000);
const rand = seededRandom(7);
const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
const words = ['api', 'web', 'core', 'auth', 'db', 'cache', 'worker', 'cli', 'ui', 'infra'];
const makers = [
  () => `git ${pick(['status', 'diff', 'pull', 'push', 'log --oneline'])}`,
  () => `git checkout feature/${pick(words)}-${Math.floor(rand() * 5000)}`,
  () => `kubectl get pods --namespace ${pick(words)}-${pick(['dev', 'prod'])}`,
  () => `docker exec -it ${Math.floor(rand() * 0xfffffff).toString(16)} sh`,
  () => `npm run ${pick(['build', 'test', 'lint'])} -- --filter ${pick(words)}`,
  () => `vim src/${pick(words)}/${pick(words)}${Math.floor(rand() * 90)}.ts`,
];
const dirs = Array.from({ length: 200 }, (_, i) => `/home/dev/src/project-${i}`);
const sessions = Array.from({ length: 2000 }, (_, i) => `s-${i}`);

await withTempHome(async (home) => {
  const db = openHistoryDb(home);
  const start = Date.now() - runs * 1000;
  const texts: string[] = [];
  const writer = runWriter(db);
  for (let done = 0; done < runs; done += 10_000) {
    const batch = Array.from({ length: Math.min(10_000, runs - done) }, (_, i) => {
      const command = pick(makers)();
      texts.push(command);
      return {
        command,
        startedAt: start + (done + i) * 1000,
        durationMs: 5,
        exit: 0,
        cwd: pick(dirs),
        session: pick(sessions),
        host: 'h',
        user: 'u',
        shell: 'bash',
        source: 'bench',
        dedupe: `b${done + i}`,
      };
    });
    writer.write(batch);
  }
  process.stdout.write(`${runs.toLocaleString()} runs, load average ${loadAverage()}\n`);

  const cwd = dirs[7]!;
  const session = sessions[11]!;
  for (const prefix of ['', 'g', 'git ', 'kubectl get pods']) {
    const times = await timeRuns(30, () => recallList((q) => search(db, q), { prefix, cwd, session, limit: 200 }));
    report(`recall in-process "${prefix}" p50`, percentile(times, 50), 'ms', { below: 50 });
    report(`  p99`, percentile(times, 99), 'ms');
  }
  db.close();

  // The first Up as the hooks run it, from a cold process each time.
  const env = { ...process.env, LANYARD_HOME: home };
  const first = await timeRuns(8, () =>
    spawnSync(nodeBin, [path.join(outDir, 'picker.js'), '--up-list', '--session-hint', session, '--query', 'git '], { cwd: '/', env }),
  );
  report('first Up (picker.js --up-list) p50', percentile(first, 50), 'ms', { below: 300 });
  const bare = await timeRuns(8, () => spawnSync(nodeBin, ['-e', '0']));
  report('  (baseline) bare `node -e 0` p50', percentile(bare, 50), 'ms');
  const file = path.join(home, 'commands.txt');
  writeFileSync(file, `${texts.reverse().join('\n')}\n`);
  const grep = await timeRuns(8, () => spawnSync('grep', ['-m', '200', '-F', 'git ', file]));
  report('  (peer) grep -m 200 -F over the same commands p50', percentile(grep, 50), 'ms');
});
