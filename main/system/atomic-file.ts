// Replacing a file whole, safely in a folder others may write to: the bytes go to a new temp file with a random
// name, created exclusively and never through a symlink, then renamed over the target. rename() replaces a
// symlink planted at the target instead of following it, so no planted link can redirect the write.
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchmodSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

/** O_NOFOLLOW is POSIX; Windows has no such flag (nor unprivileged symlinks), and O_EXCL already refuses an existing name. */
const createFlags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

/** Write `data` to `file` atomically with exactly `mode` (set before any byte lands); the folder is created 0700 when missing. */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode: number): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${randomBytes(8).toString('hex')}.tmp`;
  const fd = openSync(temp, createFlags, mode);
  try {
    try {
      // The umask may have narrowed the creation mode; set it exactly, on the open descriptor.
      fchmodSync(fd, mode);
      writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
