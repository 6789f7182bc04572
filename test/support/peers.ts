// Real outside programs the tests use as judges. Missing ones skip loudly; under CI=true they fail.
import { which } from '../../main/system/which.ts';

export const underCI = process.env.CI === 'true' || process.env.CI === '1';

/**
 * Find a peer program. When it is missing: under CI, throw (the file fails, naming the package);
 * elsewhere, warn and return null so the caller can `describe.skipIf(!peer)`.
 */
export function findPeer(name: string, install: string): string | null {
  const found = which(name);
  if (found) return found;
  const reason = `${name} is not installed (${install})`;
  if (underCI) throw new Error(`Required test peer missing under CI: ${reason}. .ci/run must install it.`);
  process.stderr.write(`\n*** SKIPPING tests that need ${name}: ${reason} ***\n\n`);
  return null;
}
