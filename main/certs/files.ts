// Writing certificate material: secrets 0600 (folder 0700 when we create it), public files 0644.
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Write atomically (temp file + rename) so a crash never leaves half a key; the mode is set before any byte lands. */
function writeWithMode(file: string, data: string | Uint8Array, mode: number): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, data, { mode });
  chmodSync(temp, mode);
  renameSync(temp, file);
}

export const writeSecretFile = (file: string, data: string | Uint8Array): void => writeWithMode(file, data, 0o600);
export const writePublicFile = (file: string, data: string | Uint8Array): void => writeWithMode(file, data, 0o644);
