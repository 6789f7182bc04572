// A run's global id. A run with a dedupe key (imports, the hooks' spool) takes a hash of that key with the
// command's text in it: the key names the same run on every machine that imports the same file (`bash:<time>:
// <text>:<n>`, `atuin:<id>`), so importing one old history on two machines does not double it when they sync.
// A run without a key (one another tool recorded) gets 128 random bits.
import { createHash, randomBytes } from 'node:crypto';

export const uidBytes = 16;

/** `dedupe` as the importers and ingest write it, `{cmd}` standing for the command. */
export function runUid(dedupe: string | null, command: string): Buffer {
  if (dedupe === null) return randomBytes(uidBytes);
  return createHash('sha256').update('lanyard-run\0').update(dedupe.replace('{cmd}', command)).digest().subarray(0, uidBytes);
}
