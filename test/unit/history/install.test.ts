import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hookScript, nodeArgv } from '../../../main/history/hooks.ts';
import { quoteArg } from '../../../main/system/shell-quote.ts';
import { hookFile, installHook, refreshInstalledHooks, uninstallHook } from '../../../main/history/install.ts';
import { historyPaths } from '../../../main/history/paths.ts';
import { hookBlockStart, hookInstalled } from '../../../main/history/rc-files.ts';
import { tempDir } from '../../support/temp-dir.ts';

describe('hook install', () => {
  for (const shell of ['bash', 'zsh', 'fish'] as const) {
    it(`${shell}: adds one marked block, backs up, is idempotent, and uninstall restores the file exactly`, () => {
      const home = tempDir();
      const env = { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') };
      const paths = historyPaths(path.join(home, "data 'dir'"));
      const rc =
        shell === 'bash'
          ? path.join(home, '.bashrc')
          : shell === 'zsh'
            ? path.join(home, '.zshrc')
            : path.join(home, '.config', 'fish', 'config.fish');
      mkdirSync(path.dirname(rc), { recursive: true });
      const original = '# mine\nalias ll="ls -l"\n';
      writeFileSync(rc, original);
      let clock = 1;
      const first = installHook(paths, shell, { env, now: () => clock++ });
      expect(first.changed).toBe(true);
      expect(readFileSync(first.backup!, 'utf8')).toBe(original);
      expect(hookInstalled(shell, env)).toBe(true);
      const installed = readFileSync(rc, 'utf8');
      expect(installed.startsWith(original)).toBe(true);
      expect(installed.split(hookBlockStart)).toHaveLength(2);
      expect(installed).toContain(quoteArg(hookFile(paths, shell), shell));
      expect(statSync(hookFile(paths, shell)).mode & 0o777).toBe(0o600);
      expect(readFileSync(hookFile(paths, shell), 'utf8')).not.toContain('@LANYARD_');

      expect(installHook(paths, shell, { env }).changed).toBe(false);
      writeFileSync(rc, `${readFileSync(rc, 'utf8')}echo after\n`);
      const removed = uninstallHook(shell, { env, now: () => clock++ });
      expect(removed.changed).toBe(true);
      expect(readFileSync(rc, 'utf8')).toBe(`${original}echo after\n`);
      expect(uninstallHook(shell, { env }).changed).toBe(false);
      expect(hookInstalled(shell, env)).toBe(false);
    });
  }

  it('creates a missing startup file without a backup, and can add the classic bash settings', () => {
    const home = tempDir();
    const env = { HOME: home };
    const change = installHook(historyPaths(path.join(home, 'data')), 'bash', { env, classicBash: true });
    expect(change.backup).toBeNull();
    const text = readFileSync(path.join(home, '.bashrc'), 'utf8');
    expect(text).toContain('shopt -s histappend');
    expect(text).toContain('HISTTIMEFORMAT=');
    expect(existsSync(path.join(home, 'data', 'spool'))).toBe(true);
  });

  it("rewrites installed hook scripts that are not this version's (after an upgrade), and only those", () => {
    const home = tempDir();
    const env = { HOME: home };
    const paths = historyPaths(path.join(home, 'data'));
    installHook(paths, 'bash', { env });
    installHook(paths, 'zsh', { env });
    const bashScript = readFileSync(hookFile(paths, 'bash'), 'utf8');
    writeFileSync(hookFile(paths, 'zsh'), '# the hook of an earlier version\n');
    rmSync(paths.secretsPattern);
    expect(refreshInstalledHooks(paths)).toEqual(['zsh']);
    expect(readFileSync(hookFile(paths, 'zsh'), 'utf8')).toBe(hookScript('zsh', { dataDir: paths.dataDir }));
    expect(statSync(hookFile(paths, 'zsh')).mode & 0o777).toBe(0o600);
    expect(readFileSync(hookFile(paths, 'bash'), 'utf8')).toBe(bashScript);
    expect(existsSync(paths.secretsPattern)).toBe(true);
    expect(existsSync(hookFile(paths, 'fish'))).toBe(false);
    expect(refreshInstalledHooks(paths)).toEqual([]);
  });

  it('quotes paths so each shell reads them back exactly', () => {
    expect(quoteArg("it's", 'bash')).toBe("'it'\\''s'");
    expect(quoteArg("it's \\", 'fish')).toBe("'it\\'s \\\\'");
    const script = hookScript('bash', { dataDir: "/x/it's", cli: ['/n o/node', '/c.js'] });
    expect(script).toContain("${LANYARD_HOME:-'/x/it'\\''s'}");
    expect(script).toContain("picked=$('/n o/node' /c.js history search -i --session-hint");
  });

  it("starts the Ctrl+R picker from its own bundle with this Node, or with Electron's run as Node", () => {
    const built = path.resolve('out', 'picker.js');
    expect(hookScript('zsh', { dataDir: '/d' })).toContain(
      `picked=$(${quoteArg(process.execPath, 'zsh')} ${quoteArg(built, 'zsh')} --session-hint`,
    );
    expect(nodeArgv('/app/out/picker.js', { execPath: '/opt/Lanyard/lanyard', electron: true })).toEqual([
      'env',
      'ELECTRON_RUN_AS_NODE=1',
      '/opt/Lanyard/lanyard',
      '/app/out/picker.js',
    ]);
    expect(nodeArgv('/p.js', { execPath: '/usr/bin/node', electron: false })).toEqual(['/usr/bin/node', '/p.js']);
  });
});
