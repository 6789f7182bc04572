// Shared pieces for the certificate integration tests: an in-process Lanyard with its own LANYARD_HOME,
// and the real openssl as a judge.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startInProcess, type InProcess } from '../../../main/host/in-process.ts';
import { tempDir } from '../../support/temp-dir.ts';

export interface Sandbox {
  dir: string;
  env: NodeJS.ProcessEnv;
  lanyard: InProcess;
}

/** A fresh LANYARD_HOME (and CAROOT unset) per call; the temp folder goes away after the file. */
export function sandbox(extra: NodeJS.ProcessEnv = {}): Sandbox {
  const dir = tempDir('lanyard-certs-');
  const env: NodeJS.ProcessEnv = { ...process.env, LANYARD_HOME: path.join(dir, 'home'), HOME: dir, CAROOT: '', NO_COLOR: '1', ...extra };
  delete env.LANYARD_CA_PASSPHRASE;
  return { dir, env, lanyard: startInProcess({ env }) };
}

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function run(file: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Ran {
  const r = spawnSync(file, args, { encoding: 'utf8', timeout: 60_000, ...options });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

export const openssl = (args: string[], options: { input?: string } = {}) => run('openssl', args, options);
