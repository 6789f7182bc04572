// Kill the ingester with SIGKILL at random moments while shells keep appending; after a final clean run the
// database must hold every record exactly once and the spool must be empty.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestSpool } from '../../../main/history/ingest.ts';
import { historyPaths } from '../../../main/history/paths.ts';
import { openHistoryDb } from '../../../main/history/store.ts';
import { nodeBin } from '../../support/paths.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { seededRandom } from '../../unit/history/random-history.ts';

const child = path.join(import.meta.dirname, 'ingest-child.ts');

function record(session: string, i: number): string {
  const start = `${1_700_000_000 + i}.${String(i % 1_000_000).padStart(6, '0')}`;
  return ['L3', session, 'zsh', 'host', 'user', start, start, String(i % 3), '/tmp', `cmd ${session} ${i}\nline two`, '\\']
    .map((f) => `${f}\0`)
    .join('');
}

/** Start the ingester and SIGKILL it after `ms` (or let it finish); resolves with whether it was killed. */
function runChild(dataDir: string, ms: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const proc = spawn(nodeBin, [child, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const timer = setTimeout(() => proc.kill('SIGKILL'), ms);
    proc.on('error', reject);
    proc.on('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve(signal === 'SIGKILL');
    });
  });
}

describe('spool ingestion survives kill -9', () => {
  it('loses nothing and duplicates nothing', async () => {
    const dataDir = tempDir();
    const paths = historyPaths(dataDir);
    mkdirSync(paths.spool, { recursive: true, mode: 0o700 });
    const rand = seededRandom(3);
    const sessions = ['s1', 's2', 's3'];
    const written = new Set<string>();
    let next = 0;
    let kills = 0;
    const append = (n: number) => {
      for (let k = 0; k < n; k++) {
        const session = sessions[next % sessions.length]!;
        appendFileSync(path.join(paths.spool, `${session}.spool`), record(session, next));
        written.add(`cmd ${session} ${next}\nline two`);
        next++;
      }
    };
    append(6000);
    for (let round = 0; round < 8; round++) {
      const killed = runChild(dataDir, 150 + Math.floor(rand() * 350));
      // Shells keep writing while the ingester works (and dies).
      await new Promise((r) => setTimeout(r, 60));
      append(500);
      if (await killed) kills++;
    }
    expect(kills).toBeGreaterThan(0);
    const db = openHistoryDb(dataDir);
    const result = ingestSpool(db, paths, { quietMs: 0 });
    expect(result.problems).toEqual([]);
    const texts = db.prepare('SELECT c.text FROM history_runs r JOIN history_commands c ON c.id = r.command_id').pluck().all() as string[];
    expect(texts.length).toBe(written.size);
    expect(new Set(texts)).toEqual(written);
    expect(readdirSync(paths.spool)).toEqual([]);
    db.close();
  }, 60_000);
});
