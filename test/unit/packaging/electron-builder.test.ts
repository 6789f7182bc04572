// electron-builder.yml judged by app-builder-lib's own JSON schema (packaging itself cannot run here).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/paths.ts';

const config = parse(readFileSync(path.join(repoRoot, 'electron-builder.yml'), 'utf8')) as Record<string, unknown> & {
  linux: { target: string[] };
  mac: { target: string[] };
  win: { target: string[] };
  asarUnpack: string[];
  electronFuses: Record<string, boolean>;
  deb: { afterInstall: string; afterRemove: string };
};

describe('electron-builder.yml', () => {
  it("validates against app-builder-lib's scheme.json", () => {
    const schema = JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', 'app-builder-lib', 'scheme.json'), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    const ok = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('builds AppImage + deb, dmg + zip, and nsis', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg', 'zip']);
    expect(config.win.target).toEqual(['nsis']);
  });

  it('unpacks every native module from the asar archive', () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const natives = Object.keys(pkg.dependencies).filter((name) => existsSync(path.join(repoRoot, 'node_modules', name, 'binding.gyp')));
    expect(natives.length).toBeGreaterThan(0);
    for (const name of natives) expect(config.asarUnpack).toContain(`node_modules/${name}/**`);
  });

  // runAsNode stays on: the packaged `lanyard` command is the app's Electron run as Node. Its mitigation is every
  // other fuse that widens what a started binary can be made to run set shut (README, Security).
  it('sets the security fuses (run-as-node stays on for the lanyard CLI, every other door shut)', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: true,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('decides every fuse @electron/fuses knows (an Electron upgrade that adds one fails here until it is set)', () => {
    const { FuseV1Options } = createRequire(import.meta.url)('@electron/fuses') as { FuseV1Options: Record<string, string | number> };
    const known = Object.keys(FuseV1Options)
      .filter((name) => Number.isNaN(Number(name)))
      .map((name) => name[0]!.toLowerCase() + name.slice(1));
    expect(known.length).toBeGreaterThanOrEqual(8);
    expect(Object.keys(config.electronFuses).sort()).toEqual(known.sort());
  });

  it('the lanyard launchers run the app as Node on the CLI inside the asar', () => {
    const launchers = ['resources/bin/lanyard', 'resources/bin/lanyard.cmd'];
    for (const file of launchers) expect(readFileSync(path.join(repoRoot, file), 'utf8')).toMatch(/ELECTRON_RUN_AS_NODE=1/);
    // Both launch out/cli.js from inside the (integrity-checked) asar, never a script from elsewhere.
    for (const file of launchers) expect(readFileSync(path.join(repoRoot, file), 'utf8')).toMatch(/app\.asar[\\/]out[\\/]cli\.js/);
  });

  it('ships the files it names: icons, CLI launchers, deb scripts', () => {
    for (const file of [
      'resources/icons/icon.png',
      'resources/bin/lanyard',
      'resources/bin/lanyard.cmd',
      config.deb.afterInstall,
      config.deb.afterRemove,
    ]) {
      expect(existsSync(path.join(repoRoot, file)), file).toBe(true);
    }
    expect(statSync(path.join(repoRoot, 'resources/bin/lanyard')).mode & 0o111).not.toBe(0);
  });
});
