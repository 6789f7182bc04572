// `lanyard history redact` on a real database file holding secrets stored before the filter caught them: the
// built CLI re-scans it, search no longer finds them in any mode, the file and its WAL no longer hold their bytes,
// runs are kept (or, when secrets are dropped, deleted), and a second run or a re-import changes nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HistoryRow } from '../../../main/history/contract.ts';
import { parseBash } from '../../../main/history/importers/bash.ts';
import { historyPaths } from '../../../main/history/paths.ts';
import { movedKey } from '../../../main/history/redact.ts';
import { readSettings } from '../../../main/history/settings.ts';
import { openHistoryDb, runWriter, type RunRecord } from '../../../main/history/store.ts';
import { cliBundle, nodeBin } from '../../support/paths.ts';
import { tempDir } from '../../support/temp-dir.ts';

const secrets = [
  'S3cretPw9',
  'OtherPw123',
  'sk-proj-abcdefghijklmnopqrstuvwx0123',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXZhbHVl',
];
const bashFile = `#1700000100\nmysql -p${secrets[1]} db\n`;

const run = (command: string, at: number, dedupe: string | null = null): RunRecord => ({
  command,
  startedAt: at,
  durationMs: null,
  exit: 0,
  cwd: '/srv',
  session: 's1',
  host: 'box',
  user: 'me',
  shell: 'bash',
  source: 'test',
  dedupe,
});

/** A data folder whose database holds secrets written the old way, straight into the store. */
function seeded(): string {
  const data = tempDir();
  const db = openHistoryDb(data);
  const imported = [...parseBash(Buffer.from(bashFile))].flatMap((i) =>
    i.kind === 'run' ? [{ ...run(i.command, i.startedAt!, i.dedupe), source: 'bash' }] : [],
  );
  runWriter(db).write([
    run(`mysql -p${secrets[0]} db`, 1_700_000_000_000),
    run(`mysql -p${secrets[0]} db`, 1_700_000_001_000),
    ...imported,
    run(`export MY_API_KEY=${secrets[2]}`, 1_700_000_002_000),
    run(`curl -H 'Authorization: Bearer ${secrets[3]}' https://api.test/`, 1_700_000_003_000),
    run('git status', 1_700_000_004_000),
    run('git status', 1_700_000_005_000),
  ]);
  db.close();
  writeFileSync(path.join(data, 'old_history'), bashFile);
  return data;
}

function cli(data: string, ...args: string[]) {
  const out = spawnSync(nodeBin, [cliBundle, 'history', ...args], { env: { ...process.env, LANYARD_HOME: data }, encoding: 'utf8' });
  return out;
}

function search(data: string, ...args: string[]): [string, number][] {
  const out = cli(data, 'search', ...args, '--json');
  return (JSON.parse(out.stdout) as HistoryRow[]).map((r) => [r.command, r.count]);
}

function fileBytes(data: string): Buffer {
  const db = path.join(data, 'lanyard.db');
  return Buffer.concat([db, `${db}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f)));
}

describe('lanyard history redact', () => {
  it('redacts stored secrets in place or into the command that already has the redacted text, and leaves no trace', () => {
    const data = seeded();
    expect(search(data, secrets[0]!)).toEqual([[`mysql -p${secrets[0]} db`, 2]]);
    expect(fileBytes(data).includes(secrets[0]!)).toBe(true);

    const first = cli(data, 'redact');
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toBe('Scanned 5 commands: redacted 4 command(s) (5 run(s)) holding a secret.\n');

    for (const secret of secrets) {
      for (const mode of [[], ['--prefix'], ['--fuzzy']]) {
        expect(search(data, secret, ...mode), `${secret} ${mode.join('')}`).toEqual([]);
      }
      expect(search(data, 'mysql', '--prefix', secret.slice(0, 4))).toEqual([]);
      expect(fileBytes(data).includes(secret), secret).toBe(false);
    }
    // Both mysql commands became one: every run kept, the index finds it by its new text in every mode.
    const rows = search(data, '‹redacted›');
    expect(rows).toEqual(
      expect.arrayContaining([
        ['mysql -p‹redacted› db', 3],
        ['export MY_API_KEY=‹redacted›', 1],
      ]),
    );
    expect(rows).toHaveLength(3);
    expect(search(data, 'mysql -p‹red', '--prefix')).toEqual([['mysql -p‹redacted› db', 3]]);
    expect(search(data, 'msqlp‹redacted›', '--fuzzy')).toEqual([['mysql -p‹redacted› db', 3]]);
    expect(search(data, 'redacted› db')).toEqual([['mysql -p‹redacted› db', 3]]);
    expect(search(data, 'git status')).toEqual([['git status', 2]]);
    expect(search(data, '--runs', 'mysql')).toHaveLength(3);

    // The trigram counts the planner reads are exactly what the index now holds.
    const db = openHistoryDb(data);
    const counted = db.prepare('SELECT gram, docs FROM history_trigram_docs WHERE docs > 0 ORDER BY gram').raw().all();
    expect(counted).toEqual(db.prepare('SELECT term, doc FROM history_trigram_terms ORDER BY term').raw().all());
    db.close();

    const second = cli(data, 'redact');
    expect(second.stdout).toBe('Scanned 4 commands: redacted 0 command(s) (0 run(s)) holding a secret.\n');
    // The merged run kept its import key on its new command: importing the same file again adds nothing.
    const again = cli(data, 'import', '--bash', path.join(data, 'old_history'));
    expect(again.stderr).toContain('added 0');
    expect(search(data, 'mysql')).toEqual([['mysql -p‹redacted› db', 3]]);
  });

  it('deletes commands holding a secret, with their runs, when secrets are dropped (`history secrets drop`)', () => {
    const data = seeded();
    expect(cli(data, 'secrets', 'drop').stdout).toContain('not recorded');
    expect(readSettings(historyPaths(data)).secretAction).toBe('drop');
    const out = cli(data, 'redact');
    expect(out.stdout).toBe('Scanned 5 commands: deleted 4 command(s) (5 run(s)) holding a secret.\n');
    expect(search(data, '')).toEqual([['git status', 2]]);
    for (const secret of secrets) expect(fileBytes(data).includes(secret), secret).toBe(false);
  });

  it('moves an import or hook key onto the command a run joins, and no other key', () => {
    expect(movedKey('bash:1700000100:7:0', 7, 3)).toBe('bash:1700000100:3:0');
    expect(movedKey('zsh:?:7', 7, 3)).toBe('zsh:?:3');
    expect(movedKey('h:se:ss:#12:7', 7, 3)).toBe('h:se:ss:#12:3');
    expect(movedKey('bash:7:1:7', 1, 3)).toBe('bash:7:3:7');
    expect(movedKey('h:/spool/a.claimed:7', 7, 3)).toBe('h:/spool/a.claimed:7');
    expect(movedKey('atuin:7', 7, 3)).toBe('atuin:7');
  });
});
