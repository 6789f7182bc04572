// Writing certificate material: secrets 0600 (folder 0700 when we create it), public files 0644.
import { closeSync, fchmodSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';

/** Write atomically (temp file + rename) so a crash never leaves half a key; the mode is set before any byte lands. */
function writeWithMode(file: string, data: string | Uint8Array, mode: number): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', mode);
  try {
    // The umask may have narrowed the creation mode; set it exactly, on the open descriptor.
    fchmodSync(fd, mode);
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}

export const writeSecretFile = (file: string, data: string | Uint8Array): void => writeWithMode(file, data, 0o600);
export const writePublicFile = (file: string, data: string | Uint8Array): void => writeWithMode(file, data, 0o644);
