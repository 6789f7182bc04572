// macOS and Windows trust stores cannot run here: they are driven through a RECORDED FAKE runner that
// answers like `security` / `certutil.exe` and records every argv, and the exact commands are asserted.
import { describe, expect, it } from 'vitest';
import type { TrustEvent } from '../../../main/certs/contract.ts';
import type { RunResult } from '../../../main/system/run.ts';
import type { Runner, TrustedRoot } from '../../../main/certs/trust/store.ts';
import { changeTrust, defaultTrustOptions, storesFor, type TrustOptions } from '../../../main/certs/trust/trust.ts';

const root: TrustedRoot = {
  certFile: '/Users/dev/Library/Application Support/lanyard/ca/rootCA.pem',
  certPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
  name: 'Lanyard development CA 1234',
  sha256: 'AB'.repeat(32),
  sha1: 'CD'.repeat(20),
  serialHex: '4d2',
};

/** A recorded fake: every argv is kept; `answer` decides the result (installed after an add, etc.). */
function recordingFakeRunner(answer: (argv: readonly string[], installed: boolean) => Partial<RunResult>) {
  const calls: string[][] = [];
  let installed = false;
  const runner: Runner = async (argv) => {
    calls.push([...argv]);
    const joined = argv.join(' ');
    if (/add-trusted-cert|-addstore/.test(joined)) installed = true;
    if (/delete-certificate|-delstore/.test(joined)) installed = false;
    return { code: 0, stdout: '', stderr: '', failure: null, ...answer(argv, installed) };
  };
  return { runner, calls };
}

function options(platform: NodeJS.Platform, scope: 'system' | 'user', runner: Runner, elevated = false): TrustOptions {
  // Java is out of the picture: no JAVA_HOME and an empty PATH.
  return { ...defaultTrustOptions({ PATH: '' }), platform, scope, runner, home: '/Users/dev', elevated, interactive: false };
}

async function collect(action: 'install' | 'uninstall', o: TrustOptions): Promise<TrustEvent[]> {
  const events: TrustEvent[] = [];
  await changeTrust(action, storesFor(o), root, o, (e) => events.push(e), [platformStore(o.platform)]);
  return events;
}
const platformStore = (p: NodeJS.Platform) => (p === 'darwin' ? 'macos' : 'windows');

describe('macOS keychain (recorded fake of `security`)', () => {
  const fake = recordingFakeRunner((argv, installed) => {
    if (argv[1] === 'find-certificate') return installed ? { stdout: `SHA-256 hash: ${root.sha256}\n` } : { code: 44 };
    if (argv[1] === 'verify-cert') return { code: installed ? 0 : 1 };
    return {};
  });

  it('installs into the System keychain through sudo, announcing the exact command, then verifies', async () => {
    const events = await collect('install', options('darwin', 'system', fake.runner));
    const commands = events.filter((e) => e.type === 'command').map((e) => e.command);
    expect(commands).toEqual([
      `sudo -n -- security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain '${root.certFile}'`,
    ]);
    expect(fake.calls).toContainEqual(['security', 'find-certificate', '-a', '-Z', '-c', root.name, '/Library/Keychains/System.keychain']);
    expect(fake.calls).toContainEqual(['security', 'verify-cert', '-c', root.certFile]);
    expect(events.at(-1)).toMatchObject({ type: 'done', ok: true, manual: [] });
  });

  it('uninstalls: removes the trust setting, then the certificate by SHA-1', async () => {
    fake.calls.length = 0;
    const events = await collect('uninstall', options('darwin', 'system', fake.runner));
    expect(events.filter((e) => e.type === 'command').map((e) => e.command)).toEqual([
      `sudo -n -- security remove-trusted-cert -d '${root.certFile}'`,
      `sudo -n -- security delete-certificate -Z ${root.sha1} /Library/Keychains/System.keychain`,
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'done', ok: true });
  });

  it('uses the login keychain without sudo or -d for the user scope', async () => {
    const user = recordingFakeRunner(() => ({}));
    const events = await collect('install', options('darwin', 'user', user.runner));
    expect(events.find((e) => e.type === 'command')).toMatchObject({
      command: `security add-trusted-cert -r trustRoot -k /Users/dev/Library/Keychains/login.keychain-db '${root.certFile}'`,
      privileged: false,
    });
  });

  it('hands failed privileged commands back for the user to run', async () => {
    const denied = recordingFakeRunner((argv) => (argv[0] === 'sudo' ? { code: 1, stderr: 'sudo: a password is required' } : { code: 44 }));
    const events = await collect('install', options('darwin', 'system', denied.runner));
    expect(events.find((e) => e.type === 'result')).toMatchObject({ ok: false, output: 'sudo: a password is required' });
    expect(events.at(-1)).toMatchObject({
      type: 'done',
      ok: false,
      manual: [`sudo -- security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain '${root.certFile}'`],
    });
  });
});

describe('Windows Root store (recorded fake of certutil.exe)', () => {
  const fake = recordingFakeRunner((argv, installed) => (argv.includes('-verifystore') ? { code: installed ? 0 : 1 } : {}));

  it('installs into the current user Root store and verifies by serial', async () => {
    const events = await collect('install', options('win32', 'user', fake.runner));
    expect(events.filter((e) => e.type === 'command').map((e) => e.command)).toEqual([`certutil -user -addstore Root '${root.certFile}'`]);
    expect(fake.calls).toContainEqual(['certutil', '-user', '-verifystore', 'Root', '4d2']);
    expect(events.at(-1)).toMatchObject({ type: 'done', ok: true });
  });

  it('uses the machine store (no -user, never sudo) for the system scope, and removes by serial', async () => {
    const machine = recordingFakeRunner((argv, installed) => (argv.includes('-verifystore') ? { code: installed ? 0 : 1 } : {}));
    await collect('install', options('win32', 'system', machine.runner));
    const events = await collect('uninstall', options('win32', 'system', machine.runner));
    expect(machine.calls).toContainEqual(['certutil', '-addstore', 'Root', root.certFile]);
    expect(events.filter((e) => e.type === 'command').map((e) => e.command)).toEqual(['certutil -delstore Root 4d2']);
  });
});
