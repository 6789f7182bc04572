// Where the CA lives: $CAROOT (mkcert's variable), else a root the user adopted, else $LANYARD_HOME/ca.
// And where mkcert keeps its CA by default, for adopting it (REFERENCE §4).
import os from 'node:os';
import path from 'node:path';

export const caCertName = 'rootCA.pem';
export const caKeyName = 'rootCA-key.pem';

export type CaRootSource = 'CAROOT' | 'adopted' | 'lanyard';

export interface CaRoot {
  dir: string;
  source: CaRootSource;
  certFile: string;
  keyFile: string;
}

export function caRootAt(dir: string, source: CaRootSource): CaRoot {
  const abs = path.resolve(dir);
  return { dir: abs, source, certFile: path.join(abs, caCertName), keyFile: path.join(abs, caKeyName) };
}

export function resolveCaRoot(env: NodeJS.ProcessEnv, dataDir: string, adopted: string | null): CaRoot {
  if (env.CAROOT) return caRootAt(env.CAROOT, 'CAROOT');
  if (adopted) return caRootAt(adopted, 'adopted');
  return caRootAt(path.join(dataDir, 'ca'), 'lanyard');
}

/** mkcert's own CAROOT resolution, used as the default folder to adopt. */
export function mkcertCaRoot(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home = os.homedir(),
): string {
  if (env.CAROOT) return env.CAROOT;
  if (platform === 'win32') return path.win32.join(env.LOCALAPPDATA ?? path.win32.join(home, 'AppData', 'Local'), 'mkcert');
  if (env.XDG_DATA_HOME) return path.join(env.XDG_DATA_HOME, 'mkcert');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'mkcert');
  return path.join(home, '.local', 'share', 'mkcert');
}
