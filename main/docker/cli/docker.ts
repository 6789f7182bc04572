// `lanyard docker …`: the cheat sheet on the command line — list, show, run (or print) a cheat, and ask the
// engine for the values a placeholder can take.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline/promises';
import type { Cheat } from '../contract.ts';
import { ServiceError } from '../../contract/errors.ts';
import { composeAction, placeholderKind, type ShellDialect } from '../contract.ts';
import { recordRun } from '../../history/tool.ts';
import { resolveDataDir } from '../../system/data-dir.ts';
import { bold, dim, red, yellow } from '../../system/terminal-style.ts';
import { parseOptions, UsageError, type CommandHost, type CommandModule } from '../../system/command-line.ts';
import { listEngines, switchEngine } from './docker-engines.ts';

type Api = CommandHost['api'];

function parseSets(sets: string[] | undefined): Record<string, string> {
  const values: Record<string, string> = {};
  for (const set of sets ?? []) {
    const eq = set.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set wants name=value, not "${set}"`);
    values[set.slice(0, eq)] = set.slice(eq + 1);
  }
  return values;
}

function listCheats(cheats: Cheat[]): string {
  const idWidth = Math.max(...cheats.map((c) => c.id.length));
  return `${cheats.map((c) => `${c.id.padEnd(idWidth)}  ${c.danger ? red('!') : ' '} ${c.title}  ${dim(c.template)}`).join('\n')}\n`;
}

function showCheat(cheat: Cheat, lastUsed: Record<string, string>): string {
  const lines = [
    bold(cheat.title) + (cheat.danger ? `  ${red('(dangerous: asks before running)')}` : ''),
    cheat.description,
    '',
    `  ${cheat.template}`,
    '',
  ];
  if (cheat.placeholders.length > 0) lines.push('placeholders:');
  for (const p of cheat.placeholders) {
    const kind =
      p.kind === 'container' ? `container, ${p.state ?? 'any'}` : p.kind === 'choice' ? `choice: ${(p.choices ?? []).join(' | ')}` : p.kind;
    const extra = [
      p.default !== undefined ? `default ${p.default}` : '',
      lastUsed[p.name] !== undefined ? `last used ${lastUsed[p.name]}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(`  ${p.name.padEnd(12)} ${dim(`(${kind})`)} ${p.description ?? ''}${extra ? dim(`  [${extra}]`) : ''}`);
  }
  lines.push('', dim(`tags: ${cheat.tags.join(', ')}  ·  source: ${cheat.source}${cheat.credit ? ` (${cheat.credit})` : ''}`));
  return `${lines.join('\n')}\n`;
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** The shell `lanyard docker run` hands the command line to; the line is quoted for exactly this one. */
const runner: { shell: string; args: string[]; dialect: ShellDialect } =
  process.platform === 'win32'
    ? { shell: 'powershell.exe', args: ['-NoProfile', '-Command'], dialect: 'powershell' }
    : { shell: '/bin/sh', args: ['-c'], dialect: 'sh' };

/** Run the command line with that shell, sharing our terminal; resolves with its exit code. */
function runShell(command: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(runner.shell, [...runner.args, command], { stdio: 'inherit', env });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1)));
  });
}

/** Run it as runShell does, then write the run to History (as a terminal's hook would), whatever its exit. */
async function runRecorded(command: string, env: NodeJS.ProcessEnv): Promise<number> {
  const startedAt = Date.now();
  const code = await runShell(command, env);
  await recordRun(resolveDataDir().path, {
    command,
    startedAt,
    durationMs: Date.now() - startedAt,
    exit: code,
    cwd: process.cwd(),
    shell: runner.shell,
  });
  return code;
}

/** Our environment with the engine Lanyard uses (picked with `lanyard docker use`, or the docker CLI's own) for its docker or podman. */
async function engineShellEnv(api: Api): Promise<NodeJS.ProcessEnv> {
  const { env } = await api.docker.cliEnvironment({});
  const changed = { ...process.env };
  for (const [name, value] of Object.entries(env))
    if (value === null) delete changed[name];
    else changed[name] = value;
  return changed;
}

async function runCheat(api: Api, args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    set: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean' },
    yes: { type: 'boolean', short: 'y' },
  });
  const id = positionals[0];
  if (!id || positionals.length > 1) throw new UsageError('lanyard docker run ID [--set name=value …] [--dry-run] [--yes]');
  const { cheat } = await api.docker.cheat({ id });
  const sets = parseSets(values.set);
  for (const name of Object.keys(sets)) {
    if (!cheat.placeholders.some((p) => p.name === name))
      throw new UsageError(`"${id}" has no placeholder "${name}" (it has: ${cheat.placeholders.map((p) => p.name).join(', ') || 'none'})`);
  }
  // Asked first: it pings the engine, so a Podman engine's cheat renders as podman.
  const env = await engineShellEnv(api);
  const rendered = await api.docker.render({ id, values: sets, dialect: runner.dialect });
  if (rendered.missing.length > 0) {
    const first = cheat.placeholders.find((p) => p.name === rendered.missing[0])!;
    throw new ServiceError(
      'invalid-argument',
      `${id} needs a value for ${rendered.missing.map((m) => `<${m}>`).join(', ')}: ${rendered.command}`,
      {
        hint: `Give it with --set ${first.name}=VALUE${['container', 'image', 'volume', 'network', 'context'].includes(first.kind) ? ` (see \`lanyard docker suggest ${first.kind}\`)` : ''}.`,
      },
    );
  }
  if (values['dry-run']) {
    process.stdout.write(`${rendered.command}\n`);
    return 0;
  }
  if (cheat.danger && !values.yes) {
    if (!process.stdin.isTTY)
      throw new ServiceError('invalid-argument', `"${cheat.title}" deletes or stops things: ${rendered.command}`, {
        hint: 'Add --yes to run it without asking.',
      });
    if (!(await confirm(`${yellow('!')} ${cheat.title}: ${bold(rendered.command)}\nRun it? [y/N] `))) return 1;
  }
  await api.docker.remember({ id, values: sets });
  process.stderr.write(`${dim(`$ ${rendered.command}`)}\n`);
  return runRecorded(rendered.command, env);
}

async function engineStatus(api: Api, json: boolean): Promise<number> {
  const status = await api.docker.engine({});
  if (json) process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
  else if (status.reachable) {
    // A context picked here has source "context": named once, not "from context context NAME".
    const context = status.context ? `context ${status.context}` : '';
    const from = status.source === 'context' ? context : [status.source, context].filter(Boolean).join(' ');
    process.stdout.write(
      `${status.flavour === 'podman' ? 'Podman' : 'Docker engine'} ${status.engineVersion} at ${status.host} (API ${status.apiVersion}, from ${from})\n`,
    );
  } else process.stdout.write(`${red('✗')} ${status.problem}\n${status.hint ? `${status.hint}\n` : ''}`);
  if (!json && status.warning) process.stderr.write(`${yellow('Insecure:')} ${status.warning}\n`);
  return status.reachable ? 0 : 1;
}

// ---- Issue 16: debug shell and Compose projects ----------------------------------------------------

async function debugShell(api: Api, args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, { image: { type: 'string' }, 'dry-run': { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError('lanyard docker debug CONTAINER [--image IMAGE] [--dry-run]');
  const plan = await api.docker.debugPlan({ container: positionals[0]!, image: values.image, dialect: runner.dialect });
  if (values['dry-run']) {
    process.stdout.write(`${plan.commands.join('\n')}\n`);
    return 0;
  }
  process.stderr.write(`${dim(`toolbox ${plan.toolbox}; the target's files are under /target`)}\n`);
  for (const note of plan.notes) process.stderr.write(`${yellow('!')} ${note}\n`);
  for (const command of plan.commands) process.stderr.write(`${dim(`$ ${command}`)}\n`);
  return runRecorded(plan.command, await engineShellEnv(api));
}

async function composeCommand(api: Api, args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    json: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    yes: { type: 'boolean', short: 'y' },
  });
  const [name, action, ...extra] = positionals;
  const actions = composeAction.options;
  if (extra.length > 0 || (action !== undefined && !composeAction.safeParse(action).success))
    throw new UsageError(`lanyard docker compose [PROJECT [${actions.join('|')}]] [--dry-run] [--yes]`);
  if (!name) {
    const containers = await api.docker.containers({ all: true });
    const projects = new Map<string, { dir: string | null; running: number; total: number }>();
    for (const c of containers) {
      if (!c.compose) continue;
      const p = projects.get(c.compose.project) ?? { dir: c.compose.workingDir, running: 0, total: 0 };
      p.total++;
      if (c.state === 'running') p.running++;
      projects.set(c.compose.project, p);
    }
    if (values.json) process.stdout.write(`${JSON.stringify(Object.fromEntries(projects), null, 2)}\n`);
    else
      for (const [project, p] of projects)
        process.stdout.write(`${bold(project)}  ${p.running}/${p.total} running  ${dim(p.dir ?? '(folder unknown)')}\n`);
    return projects.size > 0 ? 0 : 1;
  }
  const project = await api.docker.composeProject({ project: name, dialect: runner.dialect });
  for (const problem of project.problems) process.stderr.write(`${yellow('!')} ${problem}\n`);
  if (!action) {
    if (values.json) process.stdout.write(`${JSON.stringify(project, null, 2)}\n`);
    else
      process.stdout.write(
        [
          bold(project.name),
          `  folder    ${project.workingDir ?? '(unknown)'}`,
          `  files     ${project.configFiles.join(', ') || '(unknown)'}`,
          `  services  ${project.services.map((svc) => (project.dependsOn[svc] ? `${svc} (after ${project.dependsOn[svc].join(', ')})` : svc)).join(', ')}`,
          `  profiles  ${project.profiles.join(', ') || '(none)'}`,
          ...project.actions.map((a) => `  ${a.action.padEnd(8)}  ${a.danger ? red('!') : ' '} ${dim(a.command)}`),
          '',
        ].join('\n'),
      );
    return 0;
  }
  const chosen = project.actions.find((a) => a.action === action);
  if (!chosen) throw new ServiceError('unavailable', project.problems.at(-1) ?? 'No Compose CLI.');
  if (values['dry-run']) {
    process.stdout.write(`${chosen.command}\n`);
    return 0;
  }
  if (chosen.danger && !values.yes) {
    if (!process.stdin.isTTY)
      throw new ServiceError('invalid-argument', `${action} removes the project's containers: ${chosen.command}`, {
        hint: 'Add --yes to run it without asking.',
      });
    if (!(await confirm(`${yellow('!')} ${bold(chosen.command)}\nRun it? [y/N] `))) return 1;
  }
  process.stderr.write(`${dim(`$ ${chosen.command}`)}\n`);
  return runShell(chosen.command, await engineShellEnv(api));
}

export const run: CommandModule['run'] = async (args, context) => {
  const [sub, ...rest] = args;
  const { api } = await context.startHost();
  switch (sub) {
    case 'cheats': {
      const { values, positionals } = parseOptions(rest, { json: { type: 'boolean' } });
      const { cheats, problems } = await api.docker.cheats({ query: positionals.join(' ') });
      for (const problem of problems) process.stderr.write(`${yellow('!')} ${problem}\n`);
      process.stdout.write(values.json ? `${JSON.stringify(cheats, null, 2)}\n` : cheats.length ? listCheats(cheats) : '');
      return cheats.length > 0 ? 0 : 1;
    }
    case 'show': {
      const { values, positionals } = parseOptions(rest, { json: { type: 'boolean' } });
      if (positionals.length !== 1) throw new UsageError('lanyard docker show ID');
      const { cheat, lastUsed } = await api.docker.cheat({ id: positionals[0]! });
      process.stdout.write(values.json ? `${JSON.stringify({ ...cheat, lastUsed }, null, 2)}\n` : showCheat(cheat, lastUsed));
      return 0;
    }
    case 'run':
      return runCheat(api, rest);
    case 'suggest': {
      const { values, positionals } = parseOptions(rest, { json: { type: 'boolean' }, running: { type: 'boolean' } });
      const kind = placeholderKind.safeParse(positionals[0]);
      if (!kind.success || positionals.length !== 1)
        throw new UsageError(`lanyard docker suggest ${placeholderKind.options.join('|')} [--running]`);
      const suggestions = await api.docker.suggest({ kind: kind.data, state: values.running ? 'running' : 'any' });
      process.stdout.write(
        values.json ? `${JSON.stringify(suggestions, null, 2)}\n` : suggestions.map((s) => `${s.value}\t${dim(s.detail)}\n`).join(''),
      );
      return 0;
    }
    case 'import': {
      const { positionals } = parseOptions(rest, {});
      const [format, from] = positionals;
      if ((format !== 'navi' && format !== 'tldr') || !from || positionals.length !== 2)
        throw new UsageError('lanyard docker import navi|tldr PATH');
      const result = await api.docker.import({ format, path: from });
      for (const skipped of result.skipped) process.stderr.write(`${yellow('skipped')} ${skipped}\n`);
      process.stdout.write(
        `Imported ${result.imported.length} cheat${result.imported.length === 1 ? '' : 's'} into ${resolveDataDir().path}/cheats.\n`,
      );
      return 0;
    }
    case 'engine': {
      const { values } = parseOptions(rest, { json: { type: 'boolean' } });
      return engineStatus(api, values.json === true);
    }
    case 'debug':
      return debugShell(api, rest);
    case 'compose':
      return composeCommand(api, rest);
    case 'engines':
      return listEngines(api, rest);
    case 'use':
      return switchEngine(api, rest);
    default:
      throw new UsageError(
        sub ? `unknown docker command "${sub}"` : 'lanyard docker cheats|show|run|suggest|import|engine|engines|use|debug|compose',
      );
  }
};
