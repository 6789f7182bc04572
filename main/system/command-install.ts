// Putting `lanyard` on PATH without root, as VS Code's "Install 'code' command in PATH": a symlink in the user's own
// bin folder to this install's launcher, which brings its own Node 24. `lanyard install-command` and Doctor's
// button (doctor.installCommand) both do it through here.
import { existsSync, lstatSync, mkdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A refusal to touch a file that is not this Lanyard's command (the CLI adds --force; the app offers "Replace"). */
export class CommandInstallError extends Error {
  override name = 'CommandInstallError';
}

/** The file a `lanyard` on PATH should run: the packaged app's launcher under Electron, the npm bin otherwise. */
export function launcherPath(outDir: string, packaged = Boolean(process.versions.electron)): string {
  if (packaged) {
    // <resources>/app.asar/out → <resources>/resources/bin (electron-builder's extraResources)
    const bin = path.join(outDir, '..', '..', 'resources', 'bin');
    return path.join(bin, process.platform === 'win32' ? 'lanyard.cmd' : 'lanyard');
  }
  return path.join(outDir, '..', 'main', 'cli', 'bin.js');
}

/** This install's launcher, found from this module: out/ (or out/chunks) when bundled, main/system in source. */
export function thisLauncher(moduleUrl: string = import.meta.url): string | null {
  let dir = path.dirname(fileURLToPath(moduleUrl));
  for (let i = 0; i < 4; i++) {
    if (path.basename(dir) === 'out') return launcherPath(dir);
    const bin = path.join(dir, 'main', 'cli', 'bin.js');
    if (existsSync(bin)) return bin;
    dir = path.dirname(dir);
  }
  return null;
}

/** ~/.local/bin (the XDG user bin folder most distributions put on PATH); on Windows a folder of Lanyard's own. */
export function defaultCommandDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(os.homedir(), 'AppData', 'Local'), 'Lanyard', 'bin');
  return path.join(env.HOME ?? os.homedir(), '.local', 'bin');
}

function onPath(dir: string, env: NodeJS.ProcessEnv): boolean {
  const wanted = path.resolve(dir);
  return (env.PATH ?? '').split(path.delimiter).some((entry) => entry && path.resolve(entry) === wanted);
}

function pathAdvice(dir: string, env: NodeJS.ProcessEnv): string {
  if (process.platform === 'win32') {
    return `${dir} is not on your PATH yet. Add it for your user (then open a new terminal):\n  [Environment]::SetEnvironmentVariable('Path', [Environment]::GetEnvironmentVariable('Path','User') + ';${dir}', 'User')\n`;
  }
  const shell = path.basename(env.SHELL ?? '');
  const line = shell === 'fish' ? `fish_add_path ${dir}` : `export PATH="${dir}:$PATH"`;
  const file = shell === 'fish' ? '~/.config/fish/config.fish' : shell === 'zsh' ? '~/.zshrc' : '~/.bashrc';
  return `${dir} is not on your PATH yet (Debian and Ubuntu add it at your next login when it exists). Or add this line to ${file}:\n  ${line}\n`;
}

function existingTarget(file: string): string | null | undefined {
  try {
    const stat = lstatSync(file);
    return stat.isSymbolicLink() ? readlinkSync(file) : null; // null: something that is not our kind of link
  } catch {
    return undefined; // nothing there
  }
}

export interface CommandPlace {
  launcher: string;
  dir?: string;
  env?: NodeJS.ProcessEnv;
}

export interface CommandState {
  /** Where `lanyard` goes (~/.local/bin/lanyard). */
  file: string;
  launcher: string;
  /** `this`: the file runs this install; `other`: a file of that name that is not ours; `none`: nothing there. */
  installed: 'this' | 'other' | 'none';
  /** Whether the folder is on PATH (so `lanyard` runs from any folder once installed). */
  onPath: boolean;
}

function place({ launcher, dir, env = process.env }: CommandPlace) {
  const folder = path.resolve(dir ?? defaultCommandDir(env));
  return { launcher, env, dir: folder, file: path.join(folder, process.platform === 'win32' ? 'lanyard.cmd' : 'lanyard') };
}

export function commandState(where: CommandPlace): CommandState {
  const { launcher, env, dir, file } = place(where);
  const present = existingTarget(file);
  return { file, launcher, installed: present === launcher ? 'this' : present === undefined ? 'none' : 'other', onPath: onPath(dir, env) };
}

/** Link the command (replacing a file of that name only with `force`); returns what to tell the user, line by line. */
export function installCommand(where: CommandPlace & { force?: boolean }): string {
  const { launcher, env, dir, file } = place(where);
  const present = existingTarget(file);
  let said: string;
  if (present === launcher) said = `${file} already runs this Lanyard (${launcher}).\n`;
  else {
    if (present !== undefined && !where.force) throw new CommandInstallError(`${file} exists and is not this Lanyard's command`);
    mkdirSync(dir, { recursive: true });
    rmSync(file, { force: true });
    if (process.platform === 'win32') writeFileSync(file, `@echo off\r\n"${launcher}" %*\r\n`);
    else symlinkSync(launcher, file);
    said = `Linked ${file} → ${launcher}\n`;
  }
  return (
    said + (onPath(dir, env) ? 'Run `lanyard` from any folder; `lanyard install-command --remove` undoes this.\n' : pathAdvice(dir, env))
  );
}

/** Remove the command (another program's file of that name only with `force`); returns what to tell the user. */
export function removeCommand(where: CommandPlace & { force?: boolean }): string {
  const { launcher, file } = place(where);
  const present = existingTarget(file);
  if (present === undefined) return `Nothing to remove: ${file} does not exist.\n`;
  if (present !== launcher && !where.force) throw new CommandInstallError(`${file} is not this Lanyard's command`);
  rmSync(file, { force: true });
  return `Removed ${file}.\n`;
}
