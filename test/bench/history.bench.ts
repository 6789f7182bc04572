// History at scale: 1,000,000 runs over ~200,000 distinct commands, generated. Import rate; search latency
// in-process and through the CLI, side by side with `fzf --filter` and `grep -F` over the same commands; the
// Ctrl+R picker's first paint; the bash hook's cost per command over 10,000 commands; the database's size.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pty from 'node-pty';
import { searchQuery } from '../../main/history/contract.ts';
import { importFiles } from '../../main/history/import.ts';
import { installHook } from '../../main/history/install.ts';
import { historyPaths } from '../../main/history/paths.ts';
import { search } from '../../main/history/search/search.ts';
import { parseSpool } from '../../main/history/spool.ts';
import { openHistoryDb, pageCacheKib } from '../../main/history/store.ts';
import { which } from '../../main/system/which.ts';
import { cliBundle, nodeBin, outDir } from '../support/paths.ts';
import { percentile, report, timeRuns, withTempHome } from './support.ts';
import { seededRandom } from '../unit/history/random-history.ts';

const runs = Number(process.env.HISTORY_BENCH_RUNS ?? 1_000_000);
const distinct = Math.round(runs / 5);
const rare = 'rare-needle-7f3a9c';
const pickerBundle = path.join(outDir, 'picker.js');

/** ~`distinct` plausible commands: programs, subcommands, flags, paths, branches, hashes. */
function commands(rand: () => number): string[] {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const word = () => pick(['api', 'web', 'core', 'auth', 'db', 'cache', 'worker', 'cli', 'ui', 'infra', 'docs', 'tests']);
  const file = () =>
    `${pick(['src', 'lib', 'test', 'cmd', 'pkg'])}/${word()}/${word()}${Math.floor(rand() * 90)}.${pick(['ts', 'go', 'py', 'rs', 'md', 'json'])}`;
  const branch = () => `${pick(['feature', 'fix', 'chore'])}/${word()}-${Math.floor(rand() * 5000)}`;
  const hex = () => Math.floor(rand() * 0xfffffff).toString(16);
  const makers: (() => string)[] = [
    () => `git ${pick(['status', 'diff', 'log --oneline', 'pull', 'push', 'fetch --all', 'stash'])}`,
    () => `git checkout ${branch()}`,
    () => `git commit -m "${pick(['fix', 'add', 'update', 'remove', 'refactor'])} ${word()} ${word()} ${Math.floor(rand() * 1000)}"`,
    () => `git add ${file()}`,
    () => `vim ${file()}`,
    () => `ls -la ${file().split('/').slice(0, 2).join('/')}`,
    () => `cd ~/src/${word()}/${word()}`,
    () => `kubectl get pods --namespace ${word()}-${pick(['dev', 'staging', 'prod'])} -l app=${word()}`,
    () => `kubectl logs -f deploy/${word()}-${word()} --since=${Math.floor(rand() * 60)}m`,
    () => `docker run --rm -it -p ${8000 + Math.floor(rand() * 1000)}:80 ${word()}/${word()}:${hex()}`,
    () => `docker exec -it ${hex()} sh`,
    () => `npm run ${pick(['build', 'test', 'lint', 'dev', 'start'])} -- --filter ${word()}`,
    () => `grep -rn "${word()}${Math.floor(rand() * 500)}" ${file()}`,
    () => `ssh ${pick(['deploy', 'root', 'admin'])}@${word()}-${Math.floor(rand() * 200)}.example.net`,
    () => `curl -s https://${word()}.example.com/v1/${word()}/${Math.floor(rand() * 10000)} | jq .`,
    () => `make -C ${word()} ${pick(['all', 'test', 'clean', 'install'])} JOBS=${1 + Math.floor(rand() * 16)}`,
    () => `for f in ${file()} ${file()}; do\n  wc -l "$f"\ndone`,
  ];
  const set = new Set<string>();
  while (set.size < distinct - 1) set.add(pick(makers)());
  set.add(`echo ${rare}`);
  return [...set];
}

/** A bash history file with #epoch lines: every distinct command once, the rest drawn with a Zipf-like skew. */
function writeBashHistory(file: string, list: string[], rand: () => number): string[] {
  const order: string[] = [...list];
  while (order.length < runs) order.push(list[Math.floor(list.length * rand() ** 3)]!);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const start = Math.floor(Date.now() / 1000) - 3 * 365 * 86_400;
  const step = (3 * 365 * 86_400) / runs;
  writeFileSync(file, order.map((c, i) => `#${Math.floor(start + i * step)}\n${c}\n`).join(''));
  return order;
}

const queries = [
  { kind: 'short', query: 'ls' },
  { kind: 'short', query: 'g' },
  { kind: 'common', query: 'git' },
  { kind: 'common', query: 'docker run' },
  { kind: 'long', query: 'kubectl get pods --namespace auth-prod' },
  { kind: 'long', query: 'curl -s https://api.example.com/v1/' },
  { kind: 'rare', query: rare },
  { kind: 'rare', query: 'feature/cache-4321' },
];

function timeCommand(argv: string[], input?: string): number {
  const start = performance.now();
  spawnSync(argv[0]!, argv.slice(1), { input, stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'ignore'], maxBuffer: 1 << 30 });
  return performance.now() - start;
}

function median(list: number[]): number {
  return percentile(
    [...list].sort((a, b) => a - b),
    50,
  );
}

await withTempHome(async (home) => {
  const rand = seededRandom(42);
  const data = path.join(home, 'data');
  const paths = historyPaths(data);
  process.stdout.write(`generating ${runs.toLocaleString()} runs over ~${distinct.toLocaleString()} distinct commands…\n`);
  const list = commands(rand);
  const historyFile = path.join(home, 'bash_history');
  const order = writeBashHistory(historyFile, list, rand);
  // The same commands one per line, as fzf and grep read a history file (multi-line commands flattened).
  const flatFile = path.join(home, 'commands.txt');
  writeFileSync(flatFile, `${order.map((c) => c.replaceAll('\n', ' ')).join('\n')}\n`);

  // As the app imports: on a connection of the worker's, with its larger page cache.
  const db = openHistoryDb(data, undefined, pageCacheKib.import);
  const started = performance.now();
  await importFiles(db, paths, { bash: historyFile }, () => undefined);
  const importMs = performance.now() - started;
  const stored = db.prepare('SELECT count(*) FROM history_runs').pluck().get() as number;
  const storedDistinct = db.prepare('SELECT count(*) FROM history_commands').pluck().get() as number;
  process.stdout.write(`imported ${stored.toLocaleString()} runs, ${storedDistinct.toLocaleString()} distinct\n`);
  report('import rate (bash file, #epoch)', stored / (importMs / 1000), 'runs/s', { above: 20_000 });
  db.pragma('wal_checkpoint(TRUNCATE)');
  const dbBytes = statSync(path.join(data, 'lanyard.db')).size;
  report('database size', dbBytes / 1e6, 'MB');
  report('database bytes per run', dbBytes / stored, 'B');

  // In-process: what the app and the picker pay per keystroke (50 rows, grouped by command), with the host's page cache.
  db.pragma(`cache_size = -${pageCacheKib.host}`);
  const all: number[] = [];
  const perKind = new Map<string, number[]>();
  for (const q of queries) {
    const parsed = searchQuery.parse({ query: q.query, limit: 50 });
    search(db, parsed);
    const times = await timeRuns(40, () => search(db, parsed));
    all.push(...times);
    perKind.set(q.kind, [...(perKind.get(q.kind) ?? []), ...times]);
  }
  all.sort((a, b) => a - b);
  const inProcessP50 = percentile(all, 50);
  report('search in-process p50 (all queries)', inProcessP50, 'ms', { below: 5 });
  report('search in-process p99 (all queries)', percentile(all, 99), 'ms', { below: 5 });
  for (const [kind, times] of perKind)
    report(
      `  p99 ${kind}`,
      percentile(
        times.sort((a, b) => a - b),
        99,
      ),
      'ms',
      { below: 5 },
    );
  for (const mode of ['prefix', 'fuzzy'] as const) {
    const parsed = searchQuery.parse({ query: mode === 'prefix' ? 'git checkout fe' : 'gcofeat', mode, limit: 50 });
    const times = await timeRuns(20, () => search(db, parsed));
    report(`search ${mode} p99`, percentile(times, 99), 'ms');
  }
  const filtered = searchQuery.parse({ query: 'git', exit: 'failed', since: Date.now() - 365 * 86_400_000, limit: 50 });
  report('search with filters p99 (git, failed, last year)', percentile(await timeRuns(10, () => search(db, filtered)), 99), 'ms');
  // Every generated run has this host and shell: a filter on them matches all or none.
  const byOrigin = [{ host: os.hostname() }, { host: 'elsewhere' }, { shell: 'bash' }, { shell: 'zsh' }].map((f) =>
    searchQuery.parse({ query: 'git', limit: 50, ...f }),
  );
  const originTimes: number[] = [];
  for (const q of byOrigin) originTimes.push(...(await timeRuns(10, () => search(db, q))));
  originTimes.sort((a, b) => a - b);
  report('search with a host or shell filter p99 (git; all or none)', percentile(originTimes, 99), 'ms');
  db.close();

  // Through the CLI, as a script or the shell would call it: Node's start-up included.
  const env = { ...process.env, LANYARD_HOME: data };
  const cliTimes: number[] = [];
  for (const q of queries.slice(2, 7)) {
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      spawnSync(nodeBin, [cliBundle, 'history', 'search', q.query, '--limit', '50'], { env, stdio: 'ignore' });
      cliTimes.push(performance.now() - start);
    }
  }
  cliTimes.sort((a, b) => a - b);
  const cliP50 = percentile(cliTimes, 50);
  const nodeStart = median([0, 1, 2, 3, 4].map(() => timeCommand([nodeBin, '-e', '0'])));
  report('(baseline) bare `node -e 0` start-up p50', nodeStart, 'ms');
  report('search via CLI p50', cliP50, 'ms');
  report('search via CLI p99', percentile(cliTimes, 99), 'ms');

  for (const tool of ['fzf', 'grep'] as const) {
    const bin = which(tool);
    if (!bin) {
      process.stdout.write(`${tool} not installed: skipped (apt-get install ${tool})\n`);
      continue;
    }
    const times = queries
      .slice(2, 7)
      .map((q) =>
        median(
          [0, 1, 2].map(() =>
            timeCommand(tool === 'fzf' ? [bin, '--filter', q.query, flatFile] : [bin, '-F', '-i', '--', q.query, flatFile]),
          ),
        ),
      );
    const p50 = median(times);
    report(`${tool === 'fzf' ? 'fzf --filter' : 'grep -F -i'} p50 over the same ${runs.toLocaleString()} lines`, p50, 'ms');
    report(`  ${tool} ÷ lanyard in-process`, p50 / inProcessP50, '×');
    report(`  ${tool} ÷ lanyard CLI`, p50 / cliP50, '×');
  }

  // Ctrl+R: from pressing the key (starting the picker as the hooks do, out/picker.js) to the first frame, and
  // to the first frame with results.
  const frames: number[] = [];
  const filled: number[] = [];
  for (let i = 0; i < 8; i++) {
    await new Promise<void>((resolve) => {
      const start = performance.now();
      let seen = '';
      let framed = false;
      const term = pty.spawn(nodeBin, [pickerBundle], { name: 'xterm-256color', cols: 120, rows: 40, env: env as Record<string, string> });
      term.onData((d) => {
        seen += d;
        if (!framed && seen.includes('Lanyard history')) {
          framed = true;
          frames.push(performance.now() - start);
        }
        if (/\d+\+? found/.test(seen)) {
          filled.push(performance.now() - start);
          term.write('\u001b');
          seen = '';
        }
      });
      term.onExit(() => resolve());
    });
  }
  report('Ctrl+R first paint (frame) p50', median(frames), 'ms', { below: 150 });
  report('  of which Lanyard (minus bare Node start-up)', median(frames) - nodeStart, 'ms');
  report('Ctrl+R first paint with results p50', median(filled), 'ms', { below: 150 });
  report('  of which Lanyard (minus bare Node start-up)', median(filled) - nodeStart, 'ms');

  // The bash hook: 10,000 commands through an interactive bash with and without it; a fork per command for
  // scale. Every run starts from the same empty history (bash would otherwise load the file the previous run
  // saved), then again from 10,000 loaded entries (the classic settings' HISTSIZE) and from 100,000, because
  // `history 1`, which the hook writes, walks bash's whole list.
  const bash = which('bash');
  if (bash) {
    const shellHome = path.join(home, 'shell');
    const hookData = path.join(home, 'hookdata');
    mkdirSync(shellHome, { recursive: true });
    const script = `${Array.from({ length: 10_000 }, (_, i) => `: ${i}`).join('\n')}\n`;
    const bashEnv = { PATH: process.env.PATH, HOME: shellHome, LANYARD_HOME: hookData, LANYARD_NO_CTRL_R: '1', TERM: 'dumb' };
    const timeBash = (rc: string, loaded = 0) => {
      const history = path.join(shellHome, 'history');
      // bash saves its history on exit; every run must load the same list again.
      writeFileSync(history, Array.from({ length: loaded }, (_, i) => `echo loaded ${i}\n`).join(''));
      writeFileSync(path.join(shellHome, '.bashrc'), `HISTFILE=${history}\nHISTSIZE=200000\nHISTFILESIZE=200000\n${rc}`);
      const start = performance.now();
      spawnSync(bash, ['-i'], { input: script, env: bashEnv, stdio: ['pipe', 'ignore', 'ignore'] });
      return performance.now() - start;
    };
    installHook(historyPaths(hookData), 'bash', { env: { HOME: shellHome } });
    const hookRc = readFileSync(path.join(shellHome, '.bashrc'), 'utf8');
    // Best of three for each, interleaved, so a busy moment on the machine does not land on one side only.
    const best = (runs: (() => number)[]) => {
      const times = runs.map(() => [] as number[]);
      for (let round = 0; round < 3; round++) runs.forEach((run, i) => times[i]!.push(run()));
      return times.map((t) => Math.min(...t));
    };
    const [bare, hooked] = best([() => timeBash(''), () => timeBash(hookRc)]);
    const [bare10k, hooked10k] = best([() => timeBash('', 10_000), () => timeBash(hookRc, 10_000)]);
    const [bare100k, hooked100k] = best([() => timeBash('', 100_000), () => timeBash(hookRc, 100_000)]);
    const [forked] = best([() => timeBash("PROMPT_COMMAND='/bin/true'\n")]);
    const records = readdirSync(path.join(hookData, 'spool'))
      .filter((f) => f.endsWith('.spool'))
      .reduce((n, f) => n + parseSpool(readFileSync(path.join(hookData, 'spool', f))).records.length, 0);
    // Nine runs with the hook, 10,000 commands each; bash-hook.test.ts counts the forks with strace (none).
    process.stdout.write(`hook wrote ${records.toLocaleString()} records in 9 runs of 10,000 commands\n`);
    report('bash hook overhead per command', (hooked! - bare!) / 10_000, 'ms', { below: 0.1 });
    report('  with 10,000 entries loaded first', (hooked10k! - bare10k!) / 10_000, 'ms');
    report('  with 100,000 entries loaded first', (hooked100k! - bare100k!) / 10_000, 'ms');
    report('  (for scale) bare bash per command', bare! / 10_000, 'ms');
    report('  (for scale) a fork per command', (forked! - bare!) / 10_000, 'ms');
  }
});
