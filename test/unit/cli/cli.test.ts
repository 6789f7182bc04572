// The `lanyard` command as a user types it: the built bundle through the npm bin shim.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { doctorReport } from '../../../main/doctor/contract.ts';
import { nodeBin, repoRoot } from '../../support/paths.ts';
import { tempDir } from '../../support/temp-dir.ts';

const bin = path.join(repoRoot, 'main', 'cli', 'bin.js');
const home = tempDir();

function lanyard(...args: string[]) {
  const result = spawnSync(nodeBin, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, LANYARD_HOME: home, NO_COLOR: '1' },
    timeout: 20_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('lanyard CLI', () => {
  it('--help lists the commands that exist, and nothing else', () => {
    const { code, stdout } = lanyard('--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^lanyard — /);
    const listed = [
      ...stdout
        .split('commands:')[1]!
        .split('options:')[0]!
        .matchAll(/^ {2}(\S+)/gm),
    ].map((m) => m[1]);
    expect(listed).toContain('doctor');
    expect(listed).toContain('serve');
    for (const command of listed) expect(lanyard(command!, '--help').code, command).toBe(0);
  });

  it('prints the version', () => {
    expect(lanyard('--version').stdout).toMatch(/^lanyard \d+\.\d+\.\d+\n$/);
  });

  it('explains an unknown command with exit code 2', () => {
    const { code, stderr } = lanyard('frobnicate');
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command "frobnicate"');
    expect(stderr).toContain('lanyard --help');
  });

  it('explains a bad flag with exit code 2', () => {
    const { code, stderr } = lanyard('serve', '--port', 'eighty');
    expect(code).toBe(2);
    expect(stderr).toContain('--port must be a number');
  });

  it('doctor --json prints a report that matches the contract', () => {
    const { code, stdout } = lanyard('doctor', '--json');
    expect(code).toBe(0);
    const report = doctorReport.parse(JSON.parse(stdout));
    expect(report.dataDir.path).toBe(home);
    expect(report.tools.map((t) => t.id)).toEqual(
      expect.arrayContaining(['docker', 'tshark', 'certutil', 'openssl', 'keytool', 'bash', 'zsh', 'fish', 'extcap']),
    );
  });

  it('doctor prints a readable report', () => {
    const { code, stdout } = lanyard('doctor');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Lanyard \d/);
    for (const heading of ['Docker', 'Captures', 'Certificates', 'Shells']) expect(stdout).toContain(heading);
  });
});
