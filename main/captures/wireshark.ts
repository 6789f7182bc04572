// Find Wireshark and start it reading Lanyard's live stream (a FIFO on Linux/macOS, TCP@127.0.0.1 anywhere) or a file.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ServiceError } from '../contract/errors.ts';
import { run } from '../system/run.ts';
import { which } from '../system/which.ts';

/** LANYARD_WIRESHARK overrides the search (a wrapper script, a build in an odd place). */
export function findWireshark(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.LANYARD_WIRESHARK) return existsSync(env.LANYARD_WIRESHARK) ? env.LANYARD_WIRESHARK : null;
  const onPath = which('wireshark', env);
  if (onPath) return onPath;
  const known =
    process.platform === 'darwin'
      ? ['/Applications/Wireshark.app/Contents/MacOS/Wireshark']
      : process.platform === 'win32'
        ? [path.join(env.ProgramFiles ?? 'C:\\Program Files', 'Wireshark', 'Wireshark.exe')]
        : [];
  return known.find((p) => existsSync(p)) ?? null;
}

export function wiresharkMissing(): ServiceError {
  return new ServiceError('unavailable', 'Wireshark was not found.', {
    hint: 'Install it (Debian: sudo apt-get install wireshark; macOS: brew install --cask wireshark), or set LANYARD_WIRESHARK to its path.',
  });
}

/** A FIFO in a private (0700) temp folder. */
export async function makeFifo(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lanyard-wireshark-'));
  const fifo = path.join(dir, 'live.pcapng');
  const result = await run('mkfifo', ['-m', '600', fifo]);
  if (result.code !== 0) throw new Error(`mkfifo failed: ${result.failure ?? result.stderr.trim()}`);
  return fifo;
}

/** Start Wireshark on `interfaceArg` (a FIFO path or TCP@host:port), detached: it outlives nothing of ours. */
export function launchWireshark(program: string, interfaceArg: string): string[] {
  return detached([program, '-k', '-i', interfaceArg]);
}

/** Start Wireshark reading a capture file, detached. */
export function openFileInWireshark(program: string, file: string): string[] {
  return detached([program, '-r', file]);
}

function detached(argv: string[]): string[] {
  const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: 'ignore', windowsHide: false });
  child.on('error', () => undefined); // reported by the output never connecting
  child.unref();
  return argv;
}
