// `lanyard acme serve` as a user runs it, for the tests that point real clients at it.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { cliBundle, nodeBin } from '../../support/paths.ts';

export interface Served {
  child: ChildProcess;
  directory: string;
  caFile: string;
  stderr: () => string;
}

/**
 * `lanyard acme serve` in the foreground, as a user runs it; resolves once it prints its directory URL. `launcher`
 * runs it through another program that ends by exec'ing it (e.g. a mount namespace with its own /etc/hosts).
 */
export function acmeServe(env: NodeJS.ProcessEnv, args: string[], launcher: string[] = []): Promise<Served> {
  const [program, ...rest] = [...launcher, nodeBin, cliBundle, 'acme', 'serve', '--port', '0', ...args];
  const child = spawn(program!, rest, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let text = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const directory = /ACME directory: (\S+)/.exec(text)?.[1];
      const caFile = /CA certificate \(give it to clients\): (\S+)/.exec(text)?.[1];
      if (directory && caFile && text.includes('Ctrl+C stops.')) resolve({ child, directory, caFile, stderr: () => text });
    });
    child.on('exit', (code) => reject(new Error(`acme serve exited ${code}: ${text}`)));
  });
}

export function stopServe(served: Served): Promise<number | null> {
  return new Promise((resolve) => {
    served.child.removeAllListeners('exit');
    served.child.once('exit', (code) => resolve(code));
    served.child.kill('SIGINT');
  });
}

/** lego's arguments every test run gives: the account, this server, and its state under `home`/lego. */
export function legoAccount(served: Served, home: string): string[] {
  return ['--accept-tos', '--email', 'dev@app.test', '--server', served.directory, '--path', path.join(home, 'lego')];
}
