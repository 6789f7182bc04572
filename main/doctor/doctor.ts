import os from 'node:os';
import Database from 'better-sqlite3';
import type { ToolCheck } from '../contract/index.ts';
import type { DoctorEvent, DoctorReport, Versions } from './contract.ts';
import { ServiceError } from '../contract/errors.ts';
import type { DataDir } from '../system/data-dir.ts';
import { allChecks } from './checks.ts';
import { checkDataDir } from './data-dir-check.ts';
import { memoizedProbe } from '../system/version-probe.ts';

export interface DoctorOptions {
  appVersion: string;
  dataDir: DataDir;
  env?: NodeJS.ProcessEnv;
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

/** Run every check (or only some) in parallel, reporting each as it finishes. */
export async function runDoctor(
  options: DoctorOptions,
  only: string[] | undefined,
  emit: (event: DoctorEvent) => void = () => {},
): Promise<DoctorReport> {
  const env = options.env ?? process.env;
  const checks = await allChecks();
  const selected = only ? checks.filter((c) => only.includes(c.id)) : checks;
  const unknownIds = only?.filter((id) => !checks.some((c) => c.id === id)) ?? [];
  if (unknownIds.length > 0) {
    throw new ServiceError('invalid-argument', `Doctor has no check called ${unknownIds.map((id) => `"${id}"`).join(', ')}.`, {
      field: 'params.only',
      hint: `Known checks: ${checks.map((c) => c.id).join(', ')}.`,
    });
  }
  emit({ type: 'started', pending: selected.map(({ id, name, group }) => ({ id, name, group })) });
  const probe = memoizedProbe();
  const tools: ToolCheck[] = await Promise.all(
    selected.map(async (c) => {
      const result = await c.run(env, probe);
      emit({ type: 'check', check: result });
      return result;
    }),
  );
  const report: DoctorReport = {
    generatedAt: new Date().toISOString(),
    versions: versions(options.appVersion),
    dataDir: checkDataDir(options.dataDir),
    tools,
  };
  emit({ type: 'done', report });
  return report;
}
