// `lanyard install-command`: put `lanyard` on PATH without root, as VS Code's "Install 'code' command in PATH":
// a symlink in the user's own bin folder to this install's launcher, which brings its own Node 24.
import { lstatSync, mkdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseOptions, UsageError, type CommandContext } from '../../system/command-line.ts';

/** The file a `lanyard` on PATH should run: the packaged app's launcher under Electron, the npm bin otherwise. */
export function launcherPath(outDir: string, packaged = Boolean(process.versions.electron)): string {
  if (packaged) {
    // <resources>/app.asar/out → <resources>/resources/bin (electron-builder's extraResources)
    const bin = path.join(outDir, '..', '..', 'resources', 'bin');
    return path.join(bin, process.platform === 'win32' ? 'lanyard.cmd' : 'lanyard');
  }
  return path.join(outDir, '..', 'main', 'cli', 'bin.js');
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

export async function run(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseOptions(args, { dir: { type: 'string' }, remove: { type: 'boolean' }, force: { type: 'boolean' } });
  if (positionals.length > 0) throw new UsageError(`install-command takes no names (got "${positionals[0]}")`);
  const env = process.env;
  const dir = path.resolve(values.dir ?? defaultCommandDir(env));
  const file = path.join(dir, process.platform === 'win32' ? 'lanyard.cmd' : 'lanyard');
  const launcher = launcherPath(context.outDir);
  const present = existingTarget(file);

  if (values.remove) {
    if (present === undefined) {
      process.stdout.write(`Nothing to remove: ${file} does not exist.\n`);
      return 0;
    }
    if (present !== launcher && !values.force)
      throw new UsageError(`${file} is not this Lanyard's command; remove it yourself or add --force`);
    rmSync(file, { force: true });
    process.stdout.write(`Removed ${file}.\n`);
    return 0;
  }

  if (present === launcher) process.stdout.write(`${file} already runs this Lanyard (${launcher}).\n`);
  else {
    if (present !== undefined && !values.force) {
      throw new UsageError(`${file} exists and is not this Lanyard's command; add --force to replace it`);
    }
    mkdirSync(dir, { recursive: true });
    rmSync(file, { force: true });
    if (process.platform === 'win32') writeFileSync(file, `@echo off\r\n"${launcher}" %*\r\n`);
    else symlinkSync(launcher, file);
    process.stdout.write(`Linked ${file} → ${launcher}\n`);
  }
  if (!onPath(dir, env)) process.stdout.write(pathAdvice(dir, env));
  else process.stdout.write('Run `lanyard` from any folder; `lanyard install-command --remove` undoes this.\n');
  return 0;
}
