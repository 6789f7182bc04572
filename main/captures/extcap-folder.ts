import os from 'node:os';
import path from 'node:path';

/** The launcher file name Lanyard installs into Wireshark's extcap folder. */
export const extcapLauncherName = process.platform === 'win32' ? 'lanyard-tzsp.bat' : 'lanyard-tzsp';

/**
 * Wireshark's personal extcap folder. `tshark -G folders` prints "Personal Extcap path" from 4.2 on;
 * 4.0 prints none but loads ~/.config/wireshark/extcap (checked on Debian 12), and ignores ~/.local/lib/….
 */
export function personalExtcapFolder(
  foldersOutput: string | null,
  wiresharkVersion: string | null,
  env: NodeJS.ProcessEnv = process.env,
): { path: string; source: string } {
  const reported = foldersOutput ? /^Personal Extcap path:\s*(.+)$/m.exec(foldersOutput)?.[1]?.trim() : undefined;
  if (reported) return { path: reported, source: 'tshark -G folders' };
  const home = env.HOME || os.homedir();
  if (process.platform === 'win32')
    return { path: path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Wireshark', 'extcap'), source: 'Windows default' };
  const [major = 0, minor = 0] = (wiresharkVersion ?? '').split('.').map(Number);
  if (major > 4 || (major === 4 && minor >= 2))
    return { path: path.join(home, '.local', 'lib', 'wireshark', 'extcap'), source: 'Wireshark ≥ 4.2 default' };
  const configHome = env.XDG_CONFIG_HOME || path.join(home, '.config');
  return { path: path.join(configHome, 'wireshark', 'extcap'), source: 'Wireshark < 4.2 default' };
}
