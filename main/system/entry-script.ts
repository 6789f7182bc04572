// Where a worker thread's or child process's own script is: its bundle beside the calling module when built
// (out/NAME.js, the caller being in out/ or out/chunks), else the TypeScript source beside the caller (tests run the
// sources; Node strips the types). One rule, so every tool's workers and children are found the same way.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** `callerUrl` is the caller's `import.meta.url`; `what` names the script in the error ("the pty host"). */
export function entryScript(callerUrl: string, bundle: string, source: string, what: string): string {
  const here = path.dirname(fileURLToPath(callerUrl));
  const candidates = [path.join(here, bundle), path.join(here, '..', bundle), path.join(here, source)];
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new Error(`${what} is missing (looked for ${candidates.join(', ')})`);
  return found;
}
