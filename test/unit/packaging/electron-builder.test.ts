// electron-builder.yml judged by app-builder-lib's own JSON schema (packaging itself cannot run here).
import { existsSync, readFileSync, statSync } from 'node:fs';
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

  it('sets the security fuses (run-as-node stays on for the lanyard CLI)', () => {
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

  it('ships the files it names: icons, CLI launchers, deb scripts', () => {
    for (const file of ['resources/icons/icon.png', 'resources/bin/lanyard', 'resources/bin/lanyard.cmd', config.deb.afterInstall, config.deb.afterRemove]) {
      expect(existsSync(path.join(repoRoot, file)), file).toBe(true);
    }
    expect(statSync(path.join(repoRoot, 'resources/bin/lanyard')).mode & 0o111).not.toBe(0);
  });
});
