// Doctor's service: it knows no check itself, but asks each tool's public file for its checks (tool.checks) and
// their heading (tool.checkGroup), runs them in parallel and reports each as it finishes.
import os from 'node:os';
import Database from 'better-sqlite3';
import type { CheckGroup, ToolCheck } from '../contract/index.ts';
import { ServiceError } from '../contract/errors.ts';
import { CommandInstallError, commandState, installCommand, thisLauncher } from '../system/command-install.ts';
import type { DataDir } from '../system/data-dir.ts';
import type { CheckDefinition } from '../system/define-tool.ts';
import { loadTools } from '../system/tool-files.ts';
import { memoizedProbe } from '../system/version-probe.ts';
import type { CommandState, DoctorEvent, DoctorReport, Versions } from './contract.ts';
import { checkDataDir } from './data-dir-check.ts';

export interface DoctorOptions {
  appVersion: string;
  dataDir: DataDir;
  env?: NodeJS.ProcessEnv;
}

export interface DoctorService {
  /** Run every check (or only those with the given ids) in parallel, emitting each as it finishes. */
  run(only: string[] | undefined, emit?: (event: DoctorEvent) => void): Promise<DoctorReport>;
  /** Whether `lanyard` on PATH is this install's launcher. */
  commandState(): CommandState;
  /** What `lanyard install-command [--force]` does, and what it said. */
  installCommand(force: boolean): { message: string; state: CommandState };
}

/** A check with the tool it belongs to. */
export interface ToolCheckDefinition extends CheckDefinition {
  group: string;
}

function sqliteVersion(): string | null {
  try {
    const db = new Database(':memory:');
    const version = db.prepare('select sqlite_version()').pluck().get() as string;
    db.close();
    return version;
  } catch {
    return null;
  }
}

export function versions(appVersion: string): Versions {
  return {
    app: appVersion,
    node: process.versions.node,
    electron: process.versions.electron ?? null,
    sqlite: sqliteVersion(),
    platform: `${os.type()} ${os.release()} ${process.arch}`,
  };
}

/** Every tool's checks in the tool list's order, each tool's in its own order, and the headings they go under. */
export async function allChecks(): Promise<{ groups: CheckGroup[]; checks: ToolCheckDefinition[] }> {
  const perTool = await Promise.all(
    (await loadTools()).map(async (tool) => ({
      group: { id: tool.name, title: tool.checkGroup?.title ?? tool.name, blurb: tool.checkGroup?.blurb ?? '' },
      checks: tool.checks ? await tool.checks() : [],
    })),
  );
  const withChecks = perTool.filter((t) => t.checks.length > 0);
  return {
    groups: withChecks.map((t) => t.group),
    checks: withChecks.flatMap((t) => t.checks.map((c) => ({ ...c, group: t.group.id }))),
  };
}

export function createDoctorService(options: DoctorOptions): DoctorService {
  const env = options.env ?? process.env;
  const launcher = () => {
    const file = thisLauncher();
    if (!file) throw new ServiceError('unavailable', "This Lanyard's launcher (main/cli/bin.js) was not found beside its code.");
    return { launcher: file, env };
  };
  return {
    commandState: () => commandState(launcher()),
    installCommand(force) {
      const where = launcher();
      try {
        return { message: installCommand({ ...where, force }), state: commandState(where) };
      } catch (error) {
        if (!(error instanceof CommandInstallError)) throw error;
        throw new ServiceError('failed', `${error.message}.`, { hint: 'Replace it only if it is an old Lanyard of yours.' });
      }
    },
    async run(only, emit = () => {}) {
      const { groups, checks } = await allChecks();
      const selected = only ? checks.filter((c) => only.includes(c.id)) : checks;
      const unknownIds = only?.filter((id) => !checks.some((c) => c.id === id)) ?? [];
      if (unknownIds.length > 0) {
        throw new ServiceError('invalid-argument', `Doctor has no check called ${unknownIds.map((id) => `"${id}"`).join(', ')}.`, {
          field: 'params.only',
          hint: `Known checks: ${checks.map((c) => c.id).join(', ')}.`,
        });
      }
      emit({ type: 'started', groups, pending: selected.map(({ id, name, group }) => ({ id, name, group })) });
      const probe = memoizedProbe();
      const tools: ToolCheck[] = await Promise.all(
        selected.map(async (c) => {
          const result = { ...(await c.run(env, probe)), group: c.group };
          emit({ type: 'check', check: result });
          return result;
        }),
      );
      const report: DoctorReport = {
        generatedAt: new Date().toISOString(),
        versions: versions(options.appVersion),
        dataDir: checkDataDir(options.dataDir),
        groups,
        tools,
      };
      emit({ type: 'done', report });
      return report;
    },
  };
}
