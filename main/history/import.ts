// `history import`: finds the user's history files (or takes the ones named), parses them, and writes the
// runs in batches with progress. Keys make a second import of the same file add nothing.
import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ServiceError } from '../contract/errors.ts';
import type { ImportEvent, ImportSource } from './contract.ts';
import type { Database } from '../system/database.ts';
import { countAtuin, parseAtuin } from './importers/atuin.ts';
import { parseBash } from './importers/bash.ts';
import { parseFish } from './importers/fish.ts';
import { fileBytes, importLimits, type HistoryBytes, type ImportItem } from './importers/lines.ts';
import { parseZsh } from './importers/zsh.ts';
import type { HistoryPaths } from './paths.ts';
import { secretFilter } from './secrets.ts';
import { readSettings } from './settings.ts';
import { runWriter, type RunRecord } from './store.ts';

export type ImportFiles = Partial<Record<ImportSource, string>>;

/** The user's own history files that exist. */
export function findHistoryFiles(env: NodeJS.ProcessEnv = process.env): ImportFiles {
  const home = env.HOME || os.homedir();
  const data = env.XDG_DATA_HOME || path.join(home, '.local', 'share');
  const first = (...candidates: string[]) => candidates.find((f) => existsSync(f));
  const found: ImportFiles = {};
  const bash = first(path.join(home, '.bash_history'));
  const zsh = first(path.join(env.ZDOTDIR || home, '.zsh_history'), path.join(home, '.zhistory'), path.join(home, '.histfile'));
  const fish = first(path.join(data, 'fish', 'fish_history'));
  const atuin = first(path.join(data, 'atuin', 'history.db'));
  if (bash) found.bash = bash;
  if (zsh) found.zsh = zsh;
  if (fish) found.fish = fish;
  if (atuin) found.atuin = atuin;
  return found;
}

/**
 * Records per commit. Each commit writes every page its records touched to the WAL and checkpoints them (a third of an
 * import's time at a million runs), and they touch pages all over the command table and the run indexes: fewer,
 * larger commits write them fewer times (~1.2× faster than 20,000 a commit here, for a commit ~0.1 s longer).
 */
const commitEvery = 50_000;
/**
 * Records written between turns of the event loop (~40 ms at a million runs). The service host shares its loop with
 * live captures, terminals and every request: a whole commit's work at once held it for ~2 s.
 */
const chunkSize = 1000;
/** Records between progress events. */
const progressEvery = 5000;

export async function importFiles(
  db: Database,
  paths: HistoryPaths,
  files: ImportFiles,
  emit: (e: ImportEvent) => void,
  signal?: AbortSignal,
): Promise<void> {
  const writer = runWriter(db);
  const secrets = secretFilter(readSettings(paths));
  const host = os.hostname();
  const user = os.userInfo().username;
  if (db.inTransaction)
    throw new ServiceError('unavailable', 'An import is already running.', { hint: 'Wait for it to finish, or cancel it first.' });
  // One transaction across several turns of the loop. Meanwhile the spool is not ingested (see ingest.ts): its
  // records would share this transaction's fate.
  writer.begin();
  let sinceCommit = 0;
  try {
    for (const source of ['bash', 'zsh', 'fish', 'atuin'] as const) {
      const file = files[source];
      if (file === undefined) continue;
      const stat = statSync(file);
      emit({ type: 'file', source, path: file, bytes: stat.size });
      if (source !== 'atuin' && stat.size > importLimits.fileBytes) {
        emit({
          type: 'problem',
          path: file,
          line: 0,
          message: `${file} is ${stat.size} bytes; an import reads history files of at most ${importLimits.fileBytes} bytes`,
        });
        emit({ type: 'done', path: file, source, read: 0, added: 0, skipped: 0 });
        continue;
      }
      const total = source === 'atuin' ? countAtuin(file) : stat.size;
      const items: Iterable<ImportItem> = source === 'atuin' ? parseAtuin(file) : parser(source)(fileBytes(file));
      let read = 0;
      let added = 0;
      let skipped = 0;
      let chunk: RunRecord[] = [];
      let at = 0;
      let problems = 0;
      const progress = () => emit({ type: 'progress', path: file, done: at, total });
      const flush = async () => {
        added += writer.add(chunk);
        sinceCommit += chunk.length;
        chunk = [];
        if (sinceCommit >= commitEvery) {
          writer.commit();
          writer.begin();
          sinceCommit = 0;
        }
        // Let progress reach the client, other requests run and a cancel arrive.
        await new Promise((resolve) => setImmediate(resolve));
      };
      for (const item of items) {
        if (item.kind === 'problem') {
          // A hostile file can hold a problem on every line: the first few are told, the rest counted.
          if (++problems <= importLimits.problems) emit({ type: 'problem', path: file, line: item.line, message: item.message });
          continue;
        }
        if (read === importLimits.records) {
          emit({
            type: 'problem',
            path: file,
            line: 0,
            message: `stopped after ${importLimits.records} records, the most an import reads from one file`,
          });
          break;
        }
        read++;
        at = item.at;
        if (read % progressEvery === 0) progress();
        const command = secrets.apply(item.command);
        if (command === null) {
          skipped++;
          continue;
        }
        chunk.push({
          command,
          startedAt: item.startedAt ?? stat.mtimeMs,
          durationMs: item.durationMs,
          exit: item.extra?.exit ?? null,
          cwd: item.extra?.cwd ?? null,
          session: item.extra?.session ?? null,
          host: item.extra?.host ?? host,
          user: item.extra?.user ?? user,
          shell: source === 'atuin' ? null : source,
          source,
          dedupe: item.dedupe,
        });
        if (chunk.length >= chunkSize) {
          await flush();
          // What is written so far is kept (a second import adds the rest).
          if (signal?.aborted) return;
        }
      }
      if (problems > importLimits.problems)
        emit({ type: 'problem', path: file, line: 0, message: `${problems - importLimits.problems} more problems not listed` });
      at = total;
      await flush();
      progress();
      emit({ type: 'done', path: file, source, read, added, skipped });
    }
  } catch (error) {
    if (db.inTransaction) writer.rollback();
    throw error;
  } finally {
    if (db.inTransaction) writer.commit();
  }
}

function parser(source: 'bash' | 'zsh' | 'fish'): (data: HistoryBytes) => Iterable<ImportItem> {
  if (source === 'bash') return parseBash;
  if (source === 'zsh') return parseZsh;
  return parseFish;
}
