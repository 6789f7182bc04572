// The deb's after-install/after-remove scripts replace electron-builder's own, so they must do everything the
// templates in node_modules do (read here at test time: an electron-builder upgrade that adds a step fails this).
// The scripts also run for real under bash in temp roots, beside the rendered template, and the results compare.
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/paths.ts';
import { findPeer } from '../../support/peers.ts';
import { tempDir } from '../../support/temp-dir.ts';

const config = parse(readFileSync(path.join(repoRoot, 'electron-builder.yml'), 'utf8')) as {
  productName: string;
  linux: { executableName: string };
  deb: { afterInstall: string; afterRemove: string };
};
const templates = path.join(repoRoot, 'node_modules', 'app-builder-lib', 'templates', 'linux');
const bash = findPeer('bash', 'apt-get install bash');

/** The macros FpmTarget.createScripts fills in for our config (productFilename is the executable name when one is set). */
const macros: Record<string, string> = {
  executable: config.linux.executableName,
  sanitizedProductName: config.productName,
  productFilename: config.linux.executableName,
};

/** What electron-builder's writeConfigFile does to a script: every ${name} replaced, an unknown one an error. */
function render(text: string): string {
  return text.replace(/\$\{([a-zA-Z]+)\}/g, (_, name: string) => {
    if (!(name in macros)) throw new Error(`Macro ${name} is not defined`);
    return macros[name]!;
  });
}

/** The lines that do something: no blanks, no comments (the shebang included). */
const steps = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));

/** Where each of `wanted` (in order) is found in `lines`, or the first one missing. */
function missingStep(lines: string[], wanted: string[]): string | null {
  let at = 0;
  for (const step of wanted) {
    const found = lines.indexOf(step, at);
    if (found < 0) return step;
    at = found + 1;
  }
  return null;
}

const script = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');

describe('deb scripts', () => {
  for (const [name, ours] of [
    ['after-install', config.deb.afterInstall],
    ['after-remove', config.deb.afterRemove],
  ] as const) {
    it(`${name} holds every step of electron-builder's ${name}.tpl, in order`, () => {
      const template = readFileSync(path.join(templates, `${name}.tpl`), 'utf8');
      expect(steps(template).length).toBeGreaterThan(5);
      expect(missingStep(steps(script(ours)), steps(template))).toBeNull();
      // The template needs bash ([[ … ]]): so does ours, from its first line.
      expect(script(ours).split('\n')[0]).toBe('#!/bin/bash');
    });

    it.skipIf(!bash)(`${name} renders with electron-builder's macros and parses under bash -n`, () => {
      const dir = tempDir();
      writeFileSync(path.join(dir, 'script'), render(script(ours)));
      execFileSync(bash!, ['-n', path.join(dir, 'script')]);
    });
  }

  /**
   * A root folder standing in for "/": the app installed in opt/, a PATH holding only the plain tools the
   * scripts use (no update-alternatives: the ln branch) and fakes of the AppArmor tools that log their calls.
   */
  function fakeRoot(): { root: string; run(file: string): string } {
    const root = tempDir('lanyard-deb-root-');
    const app = path.join(root, 'opt', config.productName);
    for (const dir of ['usr/bin', 'usr/share/mime', 'usr/share/applications', 'etc/apparmor.d', 'tools'])
      mkdirSync(path.join(root, dir), { recursive: true });
    mkdirSync(path.join(app, 'resources', 'resources', 'bin'), { recursive: true });
    for (const file of [config.linux.executableName, 'chrome-sandbox', 'resources/apparmor-profile', 'resources/resources/bin/lanyard'])
      writeFileSync(path.join(app, file), `${file}\n`);
    for (const tool of ['ln', 'chmod', 'rm', 'readlink', 'unshare', 'cp', 'true', 'cat']) {
      const found = execFileSync(bash!, ['-c', `type -P ${tool}`], { encoding: 'utf8' }).trim();
      symlinkSync(found, path.join(root, 'tools', tool));
    }
    // Fakes: AppArmor is "enabled" and accepts the profile; the root counts as a chroot (no live reload asked).
    const log = path.join(root, 'apparmor.log');
    for (const tool of ['apparmor_status', 'apparmor_parser'])
      writeFileSync(path.join(root, 'tools', tool), `#!${bash}\necho "${tool} $*" >> '${log}'\n`, { mode: 0o755 });
    writeFileSync(path.join(root, 'usr/bin/ischroot'), `#!${bash}\nexit 0\n`, { mode: 0o755 });
    return {
      root,
      run(text) {
        // Every absolute path of the install moved under the root; /proc stays (the user-namespace probe is real).
        const moved = render(text).replace(/(?<=[\s'"])\/(opt|usr|etc)\//g, `${root}/$1/`);
        // Nothing may reach the real system (the tests run as root): no absolute path is left outside the root.
        expect(moved).not.toMatch(/(?<![\w-])\/(opt|usr|etc)\//);
        const file = path.join(root, `script-${Math.random().toString(36).slice(2)}`);
        writeFileSync(file, moved);
        execFileSync(bash!, [file], { env: { PATH: path.join(root, 'tools') }, encoding: 'utf8' });
        return existsSync(log) ? readFileSync(log, 'utf8') : '';
      },
    };
  }

  const linkIn = (root: string, link: string) => path.relative(root, readlinkSync(path.join(root, link)));

  it.skipIf(!bash)('after-install does in a root what the template does there, plus the lanyard link; after-remove undoes both', () => {
    const theirs = fakeRoot();
    const ours = fakeRoot();
    const theirLog = theirs.run(readFileSync(path.join(templates, 'after-install.tpl'), 'utf8'));
    const ourLog = ours.run(script(config.deb.afterInstall));
    const exe = config.linux.executableName;
    const sandbox = `opt/${config.productName}/chrome-sandbox`;

    expect(linkIn(ours.root, `usr/bin/${exe}`)).toBe(linkIn(theirs.root, `usr/bin/${exe}`));
    expect(linkIn(ours.root, `usr/bin/${exe}`)).toBe(`opt/${config.productName}/${exe}`);
    // 4755 where user namespaces are missing, 0755 where they work: whichever the template chose here.
    expect(statSync(path.join(ours.root, sandbox)).mode & 0o7777).toBe(statSync(path.join(theirs.root, sandbox)).mode & 0o7777);
    expect([0o4755, 0o755]).toContain(statSync(path.join(ours.root, sandbox)).mode & 0o7777);
    expect(readFileSync(path.join(ours.root, 'etc/apparmor.d', exe), 'utf8')).toBe('resources/apparmor-profile\n');
    expect(ourLog.replaceAll(ours.root, '')).toBe(theirLog.replaceAll(theirs.root, ''));
    // The CLI link points at the launcher that is really there.
    expect(linkIn(ours.root, 'usr/bin/lanyard')).toBe(`opt/${config.productName}/resources/resources/bin/lanyard`);
    expect(readFileSync(path.join(ours.root, 'usr/bin/lanyard'), 'utf8')).toBe('resources/resources/bin/lanyard\n');

    ours.run(script(config.deb.afterRemove));
    for (const gone of [`usr/bin/${exe}`, 'usr/bin/lanyard', `etc/apparmor.d/${exe}`])
      expect(() => lstatSync(path.join(ours.root, gone)), gone).toThrow();
  });
});
