// NSS databases (Chromium, Firefox and friends on Linux; Firefox elsewhere), through the real certutil.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { which } from '../../system/which.ts';
import { profilesFromIni } from './firefox-profiles.ts';
import type { Command, Runner, Status, TrustedRoot, TrustStore } from './store.ts';

export interface NssOptions {
  home: string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
}

/**
 * Firefox's folders (each holds profiles.ini and usually the profiles): the deb/tarball one, snap's, Flatpak's, the
 * XDG one of Firefox ≥ 147; on macOS the Firefox folder, whose profiles are in Profiles/. Developer Edition shares
 * them, its profile named dev-edition-default.
 */
function firefoxRoots(home: string, platform: NodeJS.Platform): { root: string; profiles: string }[] {
  if (platform === 'darwin') {
    const root = path.join(home, 'Library', 'Application Support', 'Firefox');
    return [{ root, profiles: path.join(root, 'Profiles') }];
  }
  return [
    path.join(home, '.mozilla', 'firefox'),
    path.join(home, 'snap', 'firefox', 'common', '.mozilla', 'firefox'),
    path.join(home, '.var', 'app', 'org.mozilla.firefox', '.mozilla', 'firefox'),
    path.join(home, '.config', 'mozilla', 'firefox'),
  ].map((root) => ({ root, profiles: root }));
}

/** Every NSS database that exists (REFERENCE §4): Chromium's old and new shared databases, snap Chromium, Firefox profiles. */
export function nssDatabases(home: string, platform: NodeJS.Platform): string[] {
  const shared =
    platform === 'linux'
      ? [
          path.join(home, '.pki', 'nssdb'),
          path.join(home, '.local', 'share', 'pki', 'nssdb'),
          path.join(home, 'snap', 'chromium', 'current', '.pki', 'nssdb'),
        ]
      : [];
  // Every folder under a profiles folder, and every profile profiles.ini names (those may live anywhere).
  const profiles = firefoxRoots(home, platform).flatMap(({ root, profiles: parent }) => {
    let listed: string[] = [];
    try {
      listed = readdirSync(parent, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => path.join(parent, e.name));
    } catch {
      // no such Firefox here
    }
    return [...listed, ...profilesFromIni(root).map((p) => p.dir)];
  });
  return [...new Set([...shared, ...profiles])].filter((dir) => existsSync(path.join(dir, 'cert9.db')));
}

export function nssStore(options: NssOptions): TrustStore {
  const certutil = () => which('certutil', options.env);
  const databases = () => nssDatabases(options.home, options.platform);
  /** Databases holding a certificate under the root's nickname, trusted or not. */
  const holding = async (root: TrustedRoot, run: Runner) => {
    const found: string[] = [];
    for (const db of databases())
      if ((await run([certutil()!, '-L', '-d', `sql:${db}`, '-n', root.name], { timeoutMs: 10_000 })).code === 0) found.push(db);
    return found;
  };
  return {
    id: 'nss',
    label: 'Browsers (NSS)',
    async unavailable() {
      if (databases().length === 0) return 'No NSS database found (Chromium and Firefox create one on first start).';
      if (!certutil()) return 'certutil is not installed (Debian: apt install libnss3-tools).';
      return null;
    },
    async locations() {
      return databases();
    },
    async status(root: TrustedRoot, run: Runner): Promise<Status> {
      const tool = certutil()!;
      const dbs = databases();
      const missing: string[] = [];
      for (const db of dbs) {
        const result = await run([tool, '-V', '-d', `sql:${db}`, '-u', 'L', '-n', root.name], { timeoutMs: 10_000 });
        if (result.code !== 0) missing.push(db);
      }
      if (missing.length === 0)
        return { installed: true, present: true, detail: `Trusted in ${dbs.length} database${dbs.length === 1 ? '' : 's'}.` };
      const present = (await holding(root, run)).length > 0;
      return { installed: false, present, detail: `Not trusted in ${missing.join(', ')}.` };
    },
    async install(root: TrustedRoot) {
      const plan: Command[] = [];
      for (const db of databases())
        plan.push({ argv: [certutil()!, '-A', '-d', `sql:${db}`, '-t', 'C,,', '-n', root.name, '-i', root.certFile], privileged: false });
      return plan;
    },
    async uninstall(root: TrustedRoot, run: Runner) {
      const plan: Command[] = [];
      for (const db of await holding(root, run))
        plan.push({ argv: [certutil()!, '-D', '-d', `sql:${db}`, '-n', root.name], privileged: false });
      return plan;
    },
  };
}
