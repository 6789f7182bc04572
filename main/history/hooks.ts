// The shell hooks: the scripts in resources/shell, with this install's data folder and CLI filled in.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ShellName } from './contract.ts';
import { quoteArg } from '../system/shell-quote.ts';

const extension: Record<ShellName, string> = { bash: 'bash', zsh: 'zsh', fish: 'fish' };

/** Walk up from this module (main/history in source, out/ or out/chunks when bundled) to the repo or app root. */
function findUp(relative: string): string | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = path.join(dir, relative);
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return null;
}

/** How a shell starts `script` with this Node, or with this Electron run as Node (the app's service host). */
export function nodeArgv(
  script: string,
  runtime: { execPath: string; electron: boolean } = { execPath: process.execPath, electron: Boolean(process.versions.electron) },
): string[] {
  return runtime.electron ? ['env', 'ELECTRON_RUN_AS_NODE=1', runtime.execPath, script] : [runtime.execPath, script];
}

/** How a shell starts the lanyard CLI: this Node and the built bundle. */
function cliArgv(): string[] {
  const bundle = findUp(path.join('out', 'cli.js')) ?? findUp('cli.js');
  return bundle ? nodeArgv(bundle) : ['lanyard'];
}

/** How the hooks start the Ctrl+R picker: its own small bundle, else through the CLI. */
function pickerArgv(cli: string[] | undefined): string[] {
  const bundle = cli ? null : (findUp(path.join('out', 'picker.js')) ?? findUp('picker.js'));
  return bundle ? nodeArgv(bundle) : [...(cli ?? cliArgv()), 'history', 'search', '-i'];
}

/** How the hooks get the Up-arrow's list: the picker's bundle with --up-list, else the CLI's `history recall`. */
function recallArgv(cli: string[] | undefined): string[] {
  const bundle = cli ? null : (findUp(path.join('out', 'picker.js')) ?? findUp('picker.js'));
  return bundle ? [...nodeArgv(bundle), '--up-list'] : [...(cli ?? cliArgv()), 'history', 'recall'];
}

export interface HookTarget {
  dataDir: string;
  /** The lanyard command to start instead of this install's (tests): the picker then runs as its `history search -i`. */
  cli?: string[];
}

export function hookScript(shell: ShellName, target: HookTarget): string {
  const file = findUp(path.join('resources', 'shell', `lanyard.${extension[shell]}`));
  if (!file) throw new Error(`the ${shell} hook script is missing from resources/shell`);
  const words = (argv: string[]) => argv.map((word) => quoteArg(word, shell)).join(' ');
  return readFileSync(file, 'utf8')
    .replaceAll('@LANYARD_HOME@', quoteArg(target.dataDir, shell))
    .replaceAll('@LANYARD_PICKER@', words(pickerArgv(target.cli)))
    .replaceAll('@LANYARD_RECALL@', words(recallArgv(target.cli)));
}
