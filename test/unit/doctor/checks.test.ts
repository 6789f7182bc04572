// Doctor against the real tools of this machine, and against a PATH where they are absent.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allChecks, createDoctorService, type DoctorOptions } from '../../../main/doctor/service.ts';
import { personalExtcapFolder } from '../../../main/captures/extcap-folder.ts';
import { hookBlockEnd, hookBlockStart } from '../../../main/history/rc-files.ts';
import { run } from '../../../main/system/run.ts';
import { tools } from '../../../main/contract/tools.ts';
import { findPeer } from '../../support/peers.ts';
import { tempDir } from '../../support/temp-dir.ts';

const tshark = findPeer('tshark', 'apt-get install tshark');
const openssl = findPeer('openssl', 'apt-get install openssl');
const bash = findPeer('bash', 'apt-get install bash');

// Doctor knows no check itself: it asks each tool's public file (main/<tool>/tool.ts) for its own.
const { checks } = await allChecks();
const runDoctor = (options: DoctorOptions, only: string[] | undefined) => createDoctorService(options).run(only);

function checkById(id: string) {
  const found = checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
}

describe('doctor with nothing on PATH', () => {
  it('reports every tool missing, each with an install hint for four platforms', async () => {
    const home = tempDir();
    const report = await runDoctor(
      {
        appVersion: '9.9.9',
        dataDir: { path: path.join(home, 'data'), source: 'LANYARD_HOME' },
        env: { PATH: tempDir(), HOME: home, DOCKER_CONFIG: home },
      },
      undefined,
    );
    // Not programs on PATH: the extcap folder, and the UDP receive path (Lanyard's own addon).
    for (const tool of report.tools.filter((t) => t.id !== 'extcap' && t.id !== 'udp-receive')) {
      expect(tool.status, tool.id).toBe('missing');
      expect(tool.hint, tool.id).toMatchObject({
        debian: expect.any(String),
        fedora: expect.any(String),
        macos: expect.any(String),
        windows: expect.any(String),
      });
    }
    // One heading per tool with checks, in the tool list's order, titled by the tool's public file.
    expect(report.groups.map((g) => g.id)).toEqual(tools.map((t) => t.name).filter((name) => report.tools.some((c) => c.group === name)));
    expect(report.groups.find((g) => g.id === 'history')?.title).toBe('Shells (history)');
    for (const tool of report.tools)
      expect(
        report.groups.map((g) => g.id),
        tool.id,
      ).toContain(tool.group);
    expect(report.versions.app).toBe('9.9.9');
    expect(report.versions.node).toBe(process.versions.node);
  });

  it('refuses an unknown check id, naming the known ones', async () => {
    await expect(runDoctor({ appVersion: '1', dataDir: { path: tempDir(), source: 'default' } }, ['nonsense'])).rejects.toThrow(
      /no check called "nonsense"/,
    );
  });
});

describe.skipIf(!tshark || !openssl || !bash)('doctor with the real tools', () => {
  it('reads the same versions the tools print', async () => {
    const opensslOut = (await run(openssl!, ['version'])).stdout;
    const tsharkOut = (await run(tshark!, ['--version'])).stdout;
    const results = await Promise.all(['openssl', 'tshark'].map((id) => checkById(id).run(process.env)));
    expect(results[0]).toMatchObject({ status: 'ok', path: openssl });
    expect(opensslOut).toContain(results[0]!.version!);
    expect(results[1]).toMatchObject({ status: 'ok', path: tshark });
    expect(tsharkOut).toContain(`(Wireshark) ${results[1]!.version}`);
  });

  it('sees the history hook block in the rc file', async () => {
    const home = tempDir();
    const env = { ...process.env, HOME: home };
    expect((await checkById('bash').run(env)).facts[0]!.value).toMatch(/^not installed/);
    writeFileSync(path.join(home, '.bashrc'), `export A=1\n${hookBlockStart}\n# hook\n${hookBlockEnd}\n`);
    expect((await checkById('bash').run(env)).facts[0]!.value).toBe(`installed in ${path.join(home, '.bashrc')}`);
  });

  it("finds Wireshark's personal extcap folder and Lanyard's launcher in it", async () => {
    const home = tempDir();
    const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: '' };
    const before = await checkById('extcap').run(env);
    const folder = before.path!;
    expect(folder.startsWith(home)).toBe(true);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'lanyard-tzsp'), '#!/bin/sh\n', { mode: 0o755 });
    const after = await checkById('extcap').run(env);
    expect(after.facts.find((f) => f.label === 'Lanyard TZSP')?.value).toMatch(/^installed/);
  });
});

describe('personal extcap folder by Wireshark version', () => {
  const env = { HOME: '/home/u' };
  it('takes what tshark -G folders reports (4.2+)', () => {
    expect(personalExtcapFolder('Personal Extcap path:\t/home/u/.local/lib/wireshark/extcap\n', '4.2.5', env).path).toBe(
      '/home/u/.local/lib/wireshark/extcap',
    );
  });
  if (process.platform === 'linux') {
    it('uses ~/.config/wireshark/extcap for 4.0 and ~/.local/lib/wireshark/extcap for 4.2+', () => {
      expect(personalExtcapFolder('Extcap path: /usr/lib/x\n', '4.0.17', env).path).toBe('/home/u/.config/wireshark/extcap');
      expect(personalExtcapFolder(null, '4.4.0', env).path).toBe('/home/u/.local/lib/wireshark/extcap');
    });
  }
});
