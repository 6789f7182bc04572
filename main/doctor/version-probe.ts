import { run } from '../system/run.ts';

/**
 * Run `file args` and pull a version out of its first matching line.
 * Tools print versions on stdout or stderr and sometimes exit non-zero for it, so both streams are read.
 */
export async function probeVersion(file: string, args: string[], pattern: RegExp = /(\d+\.\d+(?:\.\d+)?[\w.+~-]*)/): Promise<{ version: string | null; failure: string | null }> {
  const result = await run(file, args, { timeoutMs: 4000 });
  if (result.failure) return { version: null, failure: result.failure };
  const text = `${result.stdout}\n${result.stderr}`;
  const match = pattern.exec(text);
  return { version: match?.[1] ?? null, failure: null };
}
