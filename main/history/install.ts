// Installing the hook: the rendered script goes to the data folder; the shell's startup file gets a marked
// block that sources it. Installing twice changes nothing; uninstall removes exactly that block.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ShellName } from './contract.ts';
import { writeFileAtomic } from '../system/atomic-file.ts';
import { ensurePrivateDir } from '../system/data-dir.ts';
import { quoteArg } from '../system/shell-quote.ts';
import { hookScript } from './hooks.ts';
import type { HistoryPaths } from './paths.ts';
import { hookBlockEnd, hookBlockStart, rcFile, shellNames } from './rc-files.ts';
import { readSettings, writeSecretsPattern } from './settings.ts';

export interface RcChange {
  rcFile: string;
  changed: boolean;
  backup: string | null;
}

export function hookFile(paths: HistoryPaths, shell: ShellName): string {
  return path.join(paths.dir, `hook.${shell}`);
}

/**
 * The classic settings that make bash's own history keep more (asked for separately): 100,000 lines in its file,
 * the newest 10,000 of them in memory (what Up and `!` reach). Not more, and not "unlimited": bash walks its whole
 * in-memory list at every prompt (readline, and the `history 1` the hook writes; the bench shows the hook
 * ~0.04 ms slower with 100,000 entries loaded than with none), it reads the whole file at every start, and
 * Lanyard keeps everything anyway.
 */
const classicBash = ['HISTSIZE=10000', 'HISTFILESIZE=100000', "HISTTIMEFORMAT='%F %T '", 'shopt -s histappend'];

function block(shell: ShellName, script: string, classic: boolean): string[] {
  const q = quoteArg(script, shell);
  const source = shell === 'fish' ? `test -f ${q}; and source ${q}` : `[ -f ${q} ] && . ${q}`;
  return [
    hookBlockStart,
    '# Added by `lanyard history install`; `lanyard history uninstall` removes this block.',
    ...(shell === 'bash' && classic ? classicBash : []),
    source,
    hookBlockEnd,
  ];
}

/** The file's lines with Lanyard's block cut out, and where it was (-1 when absent). */
function withoutBlock(text: string): { lines: string[]; at: number } {
  const lines = text.split('\n');
  const start = lines.indexOf(hookBlockStart);
  if (start < 0) return { lines, at: -1 };
  const end = lines.indexOf(hookBlockEnd, start);
  if (end < 0)
    throw new Error(`the Lanyard block opened at line ${start + 1} is never closed ("${hookBlockEnd}" is missing); fix the file by hand`);
  return { lines: [...lines.slice(0, start), ...lines.slice(end + 1)], at: start };
}

function writeRc(file: string, before: string | null, after: string, now: () => number): RcChange {
  if (before === after) return { rcFile: file, changed: false, backup: null };
  let backup: string | null = null;
  if (before !== null) {
    backup = `${file}.lanyard-backup-${now()}`;
    copyFileSync(file, backup);
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, after);
  return { rcFile: file, changed: true, backup };
}

/** What a hook reads when its shell starts: the folders (0700) and the secrets files. */
export function prepareHookFiles(paths: HistoryPaths): void {
  ensurePrivateDir(paths.dir);
  ensurePrivateDir(paths.spool);
  writeSecretsPattern(paths, readSettings(paths));
}

export function installHook(
  paths: HistoryPaths,
  shell: ShellName,
  options: { env?: NodeJS.ProcessEnv; classicBash?: boolean; cli?: string[]; now?: () => number } = {},
): RcChange {
  prepareHookFiles(paths);
  const script = hookFile(paths, shell);
  const target = options.cli ? { dataDir: paths.dataDir, cli: options.cli } : { dataDir: paths.dataDir };
  // Replaced whole (a shell starting meanwhile reads the old script or the new one, never half of one), 0600.
  writeFileAtomic(script, hookScript(shell, target), 0o600);
  const file = rcFile(shell, options.env);
  const before = existsSync(file) ? readFileSync(file, 'utf8') : null;
  const { lines, at } = withoutBlock(before ?? '');
  const ours = block(shell, script, options.classicBash ?? false);
  let after: string;
  if (at >= 0) after = [...lines.slice(0, at), ...ours, ...lines.slice(at)].join('\n');
  else {
    const base = before ?? '';
    after = `${base}${base === '' || base.endsWith('\n') ? '' : '\n'}${ours.join('\n')}\n`;
  }
  return writeRc(file, before, after, options.now ?? Date.now);
}

/**
 * After an upgrade: the hook scripts installed in this data folder whose text is not this version's are rewritten,
 * with the secrets files the hooks read, so that new shells get the current hook without a reinstall (the startup
 * files only source them). Returns the shells whose script changed.
 */
export function refreshInstalledHooks(paths: HistoryPaths): ShellName[] {
  const updated = shellNames.filter((shell) => {
    const file = hookFile(paths, shell);
    if (!existsSync(file)) return false;
    const script = hookScript(shell, { dataDir: paths.dataDir });
    if (readFileSync(file, 'utf8') === script) return false;
    writeFileAtomic(file, script, 0o600);
    return true;
  });
  if (updated.length > 0) writeSecretsPattern(paths, readSettings(paths));
  return updated;
}

export function uninstallHook(shell: ShellName, options: { env?: NodeJS.ProcessEnv; now?: () => number } = {}): RcChange {
  const file = rcFile(shell, options.env);
  if (!existsSync(file)) return { rcFile: file, changed: false, backup: null };
  const before = readFileSync(file, 'utf8');
  const { lines, at } = withoutBlock(before);
  if (at < 0) return { rcFile: file, changed: false, backup: null };
  return writeRc(file, before, lines.join('\n'), options.now ?? Date.now);
}
