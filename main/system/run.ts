import { execFile } from 'node:child_process';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the program could not be started or was killed by the timeout. */
  failure: string | null;
}

/** Run a program with an argv array (never a shell) and a timeout; never throws. */
export function run(
  file: string,
  args: readonly string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { timeout: options.timeoutMs ?? 5000, env: options.env ?? process.env, maxBuffer: 4 * 1024 * 1024, windowsHide: true },
      (error, stdout, stderr) => {
        const out = { stdout: String(stdout), stderr: String(stderr) };
        if (!error) return resolve({ code: 0, ...out, failure: null });
        const e = error as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
        if (typeof e.code === 'number') return resolve({ code: e.code, ...out, failure: null });
        const failure = e.killed ? `timed out after ${options.timeoutMs ?? 5000} ms` : e.message;
        resolve({ code: null, ...out, failure });
      },
    );
  });
}
