import { run } from './run.ts';

/**
 * Run `file args` and pull a version out of its first matching line.
 * Tools print versions on stdout or stderr and sometimes exit non-zero for it, so both streams are read.
 */
export type VersionProbe = (file: string, args: string[], pattern?: RegExp) => Promise<{ version: string | null; failure: string | null }>;

export const probeVersion: VersionProbe = async (file, args, pattern = /(?<!\d)(\d+\.\d+(?:\.\d+)?[\w.+~-]*)/) => {
  // Generous: tshark alone takes over a second on an idle machine, and doctor runs every probe at once.
  const result = await run(file, args, { timeoutMs: 15_000 });
  if (result.failure) return { version: null, failure: result.failure };
  const text = `${result.stdout}\n${result.stderr}`;
  const match = pattern.exec(text);
  return { version: match?.[1] ?? null, failure: null };
};

/** One doctor run asks each program once, however many checks want its version. */
export function memoizedProbe(): VersionProbe {
  const seen = new Map<string, ReturnType<VersionProbe>>();
  return (file, args, pattern) => {
    const key = JSON.stringify([file, args, pattern?.source]);
    let result = seen.get(key);
    if (!result) seen.set(key, (result = probeVersion(file, args, pattern)));
    return result;
  };
}
