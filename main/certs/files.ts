// Writing certificate material: secrets 0600 (folder 0700 when we create it), public files 0644, each replaced
// whole through a fresh temp file (system/atomic-file.ts), so a crash never leaves half a key and a planted
// symlink never receives one.
import { writeFileAtomic } from '../system/atomic-file.ts';

export const writeSecretFile = (file: string, data: string | Uint8Array): void => writeFileAtomic(file, data, 0o600);
export const writePublicFile = (file: string, data: string | Uint8Array): void => writeFileAtomic(file, data, 0o644);
