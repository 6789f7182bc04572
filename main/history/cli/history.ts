// `lanyard history …`: hooks, import, search (and the Ctrl+R picker), stats, delete, purge, redact, pause.
import os from 'node:os';
import path from 'node:path';
import { oneLine, parseWhen, shortPath, timeAgo } from '../../display/history-format.ts';
import type { HistoryRow, SearchQuery, ShellName } from '../contract.ts';
import { hookScript } from '../hooks.ts';
import { prepareHookFiles } from '../install.ts';
import { historyPaths } from '../paths.ts';
import { hookInstalled } from '../rc-files.ts';
import { resolveDataDir } from '../../system/data-dir.ts';
import { bold, dim, green, red } from '../../system/terminal-style.ts';
import { openHistoryService } from './history-direct.ts';
import { parseOptions, UsageError, type CommandContext, type CommandModule } from '../../system/command-line.ts';

const filterOptions = {
  prefix: { type: 'boolean' },
  fuzzy: { type: 'boolean' },
  cwd: { type: 'string' },
  here: { type: 'boolean' },
  'exact-dir': { type: 'boolean' },
  host: { type: 'string' },
  session: { type: 'string' },
  shell: { type: 'string' },
  ok: { type: 'boolean' },
  failed: { type: 'boolean' },
  exit: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
} as const;

type FilterValues = { [K in keyof typeof filterOptions]?: (typeof filterOptions)[K]['type'] extends 'boolean' ? boolean : string };

function when(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseWhen(text);
  if (ms === null)
    throw new UsageError(`--${flag} takes a date (2024-05-01), a time ago (3h, 2d, 1w) or ms since the epoch, not "${text}"`);
  return ms;
}

/** Every field given or defaulted here, as the contract's schema would: search skips the schema (and zod). */
export function filtersFrom(values: FilterValues, words: string[]): Omit<SearchQuery, 'group' | 'limit'> {
  if (values.prefix && values.fuzzy) throw new UsageError('choose one of --prefix and --fuzzy');
  const q: Omit<SearchQuery, 'group' | 'limit'> = {
    query: words.join(' '),
    mode: values.fuzzy ? 'fuzzy' : values.prefix ? 'prefix' : 'substring',
    below: !values['exact-dir'],
  };
  const cwd = values.here ? process.cwd() : values.cwd;
  if (cwd !== undefined) q.cwd = path.resolve(cwd);
  if (values.host !== undefined) q.host = values.host;
  if (values.session !== undefined) q.session = values.session;
  if (values.shell !== undefined) q.shell = values.shell;
  if ([values.ok, values.failed, values.exit !== undefined].filter(Boolean).length > 1)
    throw new UsageError('choose one of --ok, --failed and --exit N');
  if (values.ok) q.exit = 'ok';
  if (values.failed) q.exit = 'failed';
  if (values.exit !== undefined) {
    if (!/^-?\d+$/.test(values.exit)) throw new UsageError(`--exit takes a number, not "${values.exit}"`);
    q.exit = Number(values.exit);
  }
  const since = when('since', values.since);
  const until = when('until', values.until);
  if (since !== undefined) q.since = since;
  if (until !== undefined) q.until = until;
  return q;
}

function exitMark(exit: number | null): string {
  if (exit === null) return dim('·  ');
  return exit === 0 ? green('✓  ') : red(`✗${String(exit).padEnd(2)}`);
}

export function formatRows(rows: HistoryRow[], grouped: boolean): string {
  const home = os.homedir();
  const now = Date.now();
  return rows
    .map((r) => {
      const count = grouped ? `${String(r.count).padStart(5)}× ` : '';
      return `${count}${timeAgo(r.startedAt, now).padStart(4)}  ${exitMark(r.exit)} ${dim(shortPath(r.cwd, home, 24).padEnd(24))}  ${oneLine(r.command)}`;
    })
    .join('\n');
}

// Checked by hand rather than with the contract's schema: this module must not load zod before the Ctrl+R
// picker paints (zod alone takes longer to load than the picker's whole budget).
const isShell = (name: string): name is ShellName => name === 'bash' || name === 'zsh' || name === 'fish';

function shellArg(value: string | undefined, fallback: () => ShellName): ShellName {
  if (value === undefined) return fallback();
  if (!isShell(value)) throw new UsageError(`the shell must be bash, zsh or fish, not "${value}"`);
  return value;
}

function loginShell(): ShellName {
  const name = path.basename(process.env.SHELL ?? '');
  if (!isShell(name))
    throw new UsageError(`cannot tell your shell from $SHELL (${process.env.SHELL ?? 'unset'}); say --shell bash|zsh|fish`);
  return name;
}

async function search(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    ...filterOptions,
    runs: { type: 'boolean' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
    interactive: { type: 'boolean', short: 'i' },
    query: { type: 'string' },
    'session-hint': { type: 'string' },
  });
  if (values.interactive) {
    const { runPicker } = await import('./history-picker.ts');
    return runPicker({ query: values.query ?? positionals.join(' '), session: values['session-hint'] ?? null, cwd: process.cwd() });
  }
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new UsageError(`--limit takes a whole number from 1 to 10000, not "${values.limit}"`);
  const q: SearchQuery = { ...filtersFrom(values, positionals), group: values.runs ? 'run' : 'command', limit };
  const service = await openHistoryService(() =>
    process.stderr.write(dim('Updating the history database for this version of Lanyard (once)…\n')),
  );
  const result = service.search(q);
  service.close();
  if (values.json) process.stdout.write(`${JSON.stringify(result.rows, null, 2)}\n`);
  else {
    // Oldest first, so the best match sits just above the next prompt.
    if (result.rows.length > 0) process.stdout.write(`${formatRows([...result.rows].reverse(), !values.runs)}\n`);
    process.stderr.write(
      dim(`${result.rows.length}${result.more ? '+' : ''} ${values.runs ? 'runs' : 'commands'} in ${result.tookMs.toFixed(1)} ms\n`),
    );
  }
  return result.rows.length > 0 ? 0 : 1;
}

async function importHistory(args: string[], context: CommandContext): Promise<number> {
  const { values } = parseOptions(args, {
    bash: { type: 'string' },
    zsh: { type: 'string' },
    fish: { type: 'string' },
    atuin: { type: 'string' },
  });
  const { api } = await context.startHost();
  const tty = process.stderr.isTTY === true;
  let problems = 0;
  await new Promise<void>((resolve, reject) => {
    api.history.import(values, {
      next(e) {
        if (e.type === 'file') process.stderr.write(`${bold(e.source)} ${e.path}\n`);
        else if (e.type === 'progress' && tty) process.stderr.write(`\r  ${Math.floor((100 * e.done) / Math.max(1, e.total))}%`);
        else if (e.type === 'problem') {
          problems++;
          process.stderr.write(`${tty ? '\r' : ''}  ${dim(`${e.path}:${e.line}:`)} ${e.message} (skipped)\n`);
        } else if (e.type === 'done')
          process.stderr.write(`${tty ? '\r' : ''}  read ${e.read}, added ${e.added}, dropped as secrets ${e.skipped}\n`);
      },
      error: reject,
      complete: resolve,
    });
  });
  if (problems > 0) process.stderr.write(`${problems} malformed line(s) skipped.\n`);
  return 0;
}

async function redact(args: string[], context: CommandContext): Promise<number> {
  parseOptions(args, {});
  const { api } = await context.startHost();
  const tty = process.stderr.isTTY === true;
  await new Promise<void>((resolve, reject) => {
    api.history.redact(
      {},
      {
        next(e) {
          if (e.type === 'progress' && tty) process.stderr.write(`\r  scanned ${e.done} of ${e.total} commands`);
          else if (e.type === 'done') {
            if (tty) process.stderr.write('\n');
            const what = e.action === 'drop' ? 'deleted' : 'redacted';
            process.stdout.write(`Scanned ${e.scanned} commands: ${what} ${e.commands} command(s) (${e.runs} run(s)) holding a secret.\n`);
          }
        },
        error: reject,
        complete: resolve,
      },
    );
  });
  return 0;
}

async function stats(args: string[], context: CommandContext): Promise<number> {
  const { values } = parseOptions(args, { days: { type: 'string' }, json: { type: 'boolean' } });
  const days = values.days === undefined ? 365 : Number(values.days);
  const { api } = await context.startHost();
  const s = await api.history.stats({ days });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
    return 0;
  }
  const bar = (n: number, max: number) => '█'.repeat(Math.max(1, Math.round((20 * n) / Math.max(1, max))));
  const lines = [
    `${bold(String(s.runs))} runs of ${bold(String(s.commands))} distinct commands in ${s.sessions} sessions` +
      (s.firstAt ? dim(` since ${new Date(s.firstAt).toISOString().slice(0, 10)}`) : ''),
    `failure rate (last ${days} days): ${s.withExit ? ((100 * s.failed) / s.withExit).toFixed(1) : '0'}% of ${s.withExit} runs with an exit status · database ${(s.dbBytes / 1e6).toFixed(1)} MB`,
    '',
    bold('top programs'),
    ...s.topPrograms.map((p) => `  ${String(p.runs).padStart(7)}  ${bar(p.runs, s.topPrograms[0]?.runs ?? 1).padEnd(20)}  ${p.program}`),
    '',
    bold('top commands'),
    ...s.topCommands.map((c) => `  ${String(c.runs).padStart(7)}  ${oneLine(c.command)}`),
    '',
    bold('busiest directories'),
    ...s.busiestDirs.map((d) => `  ${String(d.runs).padStart(7)}  ${shortPath(d.cwd, os.homedir(), 60)}`),
    '',
    bold(`runs per week (last ${Math.min(days, 182)} days)`),
    weekSparkline(s.perDay, Math.min(days, 182)),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

function weekSparkline(perDay: { day: string; runs: number }[], days: number): string {
  const weeks = new Array<number>(Math.ceil(days / 7)).fill(0);
  const now = Date.now();
  for (const d of perDay) {
    const age = Math.floor((now - Date.parse(`${d.day}T12:00:00`)) / 86_400_000);
    if (age >= 0 && age < days) weeks[weeks.length - 1 - Math.floor(age / 7)]! += d.runs;
  }
  const max = Math.max(1, ...weeks);
  return `  ${weeks.map((n) => ' ▁▂▃▄▅▆▇█'[Math.round((8 * n) / max)]).join('')}`;
}

async function purge(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseOptions(args, { ...filterOptions, yes: { type: 'boolean' } });
  const filters = filtersFrom(values, positionals);
  const { api } = await context.startHost();
  const result = await api.history.purge({ ...filters, confirm: values.yes === true });
  if (!values.yes) {
    process.stdout.write(
      `${result.matched} run(s) match. Nothing deleted: add --yes to delete them${result.matched ? ` (see them with \`lanyard history search --runs ${args.join(' ')}\`)` : ''}.\n`,
    );
    return 0;
  }
  process.stdout.write(`Deleted ${result.deleted} run(s); the search index no longer holds them.\n`);
  return 0;
}

async function hooks(sub: string, args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    shell: { type: 'string' },
    'classic-bash': { type: 'boolean' },
    'up-arrow': { type: 'boolean' },
  });
  const shell = shellArg(values.shell ?? positionals[0], loginShell);
  const { api } = await context.startHost();
  const had = hookInstalled(shell);
  const change =
    sub === 'install'
      ? await api.history.install({ shell, classicBash: values['classic-bash'] === true })
      : await api.history.uninstall({ shell });
  if (sub === 'install' && values['up-arrow']) {
    await api.history.updateSettings({ upArrow: true });
    process.stdout.write(upArrowOn);
  }
  if (!change.changed)
    process.stdout.write(
      `${change.rcFile}: ${sub === 'install' ? 'the hook is already installed' : 'no Lanyard block to remove'}; nothing changed.\n`,
    );
  else {
    const done =
      sub === 'uninstall'
        ? 'removed the Lanyard history block'
        : had
          ? 'updated the Lanyard history block'
          : 'added the Lanyard history block';
    process.stdout.write(`${change.rcFile}: ${done}${change.backup ? ` (backup: ${change.backup})` : ''}.\n`);
    process.stdout.write(
      sub === 'install' ? 'Open a new terminal (or `exec $SHELL`) to start recording.\n' : 'New terminals will no longer record.\n',
    );
  }
  return 0;
}

const upArrowOn =
  "Up now walks this directory's commands first, then this session's, then everything (new terminals; `lanyard history up-arrow off` undoes it).\n";

// The service host starts on first use (context.startHost): `search -i` paints its frame before paying for it.
const subcommands: Record<string, (args: string[], context: CommandContext) => Promise<number>> = {
  search,
  sync: async (args, context) => (await import('./history-sync.ts')).syncCommand(args, context),
  import: importHistory,
  stats,
  purge,
  redact,
  install: (args, context) => hooks('install', args, context),
  uninstall: (args, context) => hooks('uninstall', args, context),
  async init(args) {
    const { positionals } = parseOptions(args, {});
    const shell = shellArg(positionals[0], loginShell);
    const dataDir = resolveDataDir().path;
    // The `eval "$(lanyard history init zsh)"` route: the hook then reads the same secrets files an install writes.
    prepareHookFiles(historyPaths(dataDir));
    process.stdout.write(hookScript(shell, { dataDir }));
    return 0;
  },
  async delete(args, context) {
    const { positionals } = parseOptions(args, {});
    const id = Number(positionals[0]);
    if (!Number.isInteger(id)) throw new UsageError('history delete takes the run id shown by `lanyard history search --runs --json`');
    await (await context.startHost()).api.history.deleteRun({ id });
    process.stdout.write(`Deleted run ${id}.\n`);
    return 0;
  },
  async 'up-arrow'(args, context) {
    const { positionals } = parseOptions(args, {});
    const choice = positionals[0];
    if (choice !== 'on' && choice !== 'off')
      throw new UsageError(
        "history up-arrow takes on (Up walks this directory's and session's commands first) or off (the shell's own Up)",
      );
    await (await context.startHost()).api.history.updateSettings({ upArrow: choice === 'on' });
    process.stdout.write(choice === 'on' ? upArrowOn : "Up is the shell's own again (new terminals).\n");
    return 0;
  },
  async recall(args) {
    // --session-hint is what the hooks pass (as to the picker); --session for a person.
    const { values } = parseOptions(args, { query: { type: 'string' }, session: { type: 'string' }, 'session-hint': { type: 'string' } });
    const { runRecall } = await import('./history-recall.ts');
    return runRecall({ prefix: values.query ?? '', session: values.session ?? values['session-hint'] ?? null, cwd: process.cwd() });
  },
  async pause(_args, context) {
    await (await context.startHost()).api.history.updateSettings({ paused: true });
    process.stdout.write('History is paused: no shell records anything until `lanyard history resume`.\n');
    return 0;
  },
  async secrets(args, context) {
    const { positionals } = parseOptions(args, {});
    const action = positionals[0];
    if (action !== 'redact' && action !== 'drop')
      throw new UsageError('history secrets takes redact (keep the command, the secret replaced by ‹redacted›) or drop (do not record it)');
    await (await context.startHost()).api.history.updateSettings({ secretAction: action });
    process.stdout.write(
      action === 'redact'
        ? 'Commands holding a secret are kept with it replaced by ‹redacted›.\n'
        : 'Commands holding a secret are not recorded.\n',
    );
    process.stdout.write('`lanyard history redact` applies this to what is already stored.\n');
    return 0;
  },
  async resume(_args, context) {
    await (await context.startHost()).api.history.updateSettings({ paused: false });
    process.stdout.write('History is recording again.\n');
    return 0;
  },
  async ingest(_args, context) {
    const result = await (await context.startHost()).api.history.ingest({});
    for (const p of result.problems) process.stderr.write(`${p}\n`);
    process.stdout.write(`${result.added} new run(s) from the spool.\n`);
    return 0;
  },
  async status(_args, context) {
    const { api } = await context.startHost();
    const [hookList, settings] = await Promise.all([api.history.hooks({}), api.history.settings({})]);
    for (const h of hookList)
      process.stdout.write(
        `${h.shell.padEnd(5)} ${h.installed ? green('hook installed') : dim('no hook')}  ${dim(h.rcFile)}${h.shellPath ? '' : dim(' (shell not found)')}\n`,
      );
    process.stdout.write(
      `recording: ${settings.paused ? red('paused') : green('on')} · secret patterns: ${settings.defaultSecrets ? 'built-in' : 'built-in off'}${settings.extraSecrets.length ? ` + ${settings.extraSecrets.length} of yours` : ''}, ${settings.secretAction === 'drop' ? 'dropped' : 'redacted'}\n`,
    );
    return 0;
  },
};

export const run: CommandModule['run'] = async (args, context) => {
  const [sub, ...rest] = args;
  const handler = sub === undefined ? undefined : subcommands[sub];
  if (!handler) throw new UsageError(sub === undefined ? 'history needs a subcommand' : `unknown history subcommand "${sub}"`);
  return handler(rest, context);
};
