// Machines for the sync tests: each a LANYARD_HOME of its own with its history database, on this one machine.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Database } from '../../../../main/system/database.ts';
import { openHistoryDb, runWriter, type RunRecord } from '../../../../main/history/store.ts';
import type { TargetConfig } from '../../../../main/history/sync/config.ts';
import { joinSync, setupSync, syncNow, syncStatus } from '../../../../main/history/sync/sync.ts';

export interface TestHost {
  name: string;
  dataDir: string;
  db: Database;
  run(command: string, at?: number, extra?: Partial<RunRecord>): void;
  commands(): string[];
  runs(): { command: string; host: string | null; startedAt: number }[];
  sync(): ReturnType<typeof syncNow>;
  status(): ReturnType<typeof syncStatus>;
}

let clock = 1_760_000_000_000;

export function testHost(root: string, name: string): TestHost {
  const dataDir = path.join(root, name);
  mkdirSync(dataDir, { recursive: true });
  const db = openHistoryDb(dataDir);
  const writer = runWriter(db);
  return {
    name,
    dataDir,
    db,
    run(command, at = clock++, extra = {}) {
      writer.write([
        {
          command,
          startedAt: at,
          durationMs: 5,
          exit: 0,
          cwd: '/home/me',
          session: `${name}-s`,
          host: name,
          user: 'me',
          shell: 'bash',
          source: 'hook',
          dedupe: null,
          ...extra,
        },
      ]);
    },
    commands: () =>
      (
        db
          .prepare('SELECT c.text FROM history_runs r JOIN history_commands c ON c.id = r.command_id ORDER BY c.text')
          .pluck()
          .all() as string[]
      ).sort(),
    runs: () =>
      db
        .prepare(
          'SELECT c.text AS command, r.host, r.started_at AS startedAt FROM history_runs r JOIN history_commands c ON c.id = r.command_id',
        )
        .all() as { command: string; host: string | null; startedAt: number }[],
    sync: () => syncNow(db, dataDir, process.env),
    status: () => syncStatus(db, dataDir),
  };
}

export async function setUp(host: TestHost, target: TargetConfig): Promise<string> {
  const { words } = await setupSync(host.db, host.dataDir, target, process.env, undefined, host.name);
  return words.join(' ');
}

export async function join(host: TestHost, target: TargetConfig, words: string): Promise<void> {
  await joinSync(host.db, host.dataDir, target, words, process.env, undefined, host.name);
}
