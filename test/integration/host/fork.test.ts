// The service host as a real child process (the built out/host.js) over a real IPC channel,
// as Electron runs it in a utilityProcess.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApi } from '../../../main/contract/api.ts';
import { createClient } from '../../../main/contract/client.ts';
import { ServiceError } from '../../../main/contract/errors.ts';
import type { DoctorEvent } from '../../../main/doctor/contract.ts';
import type { ClientMessage, HostMessage } from '../../../main/contract/wire.ts';
import { ipcChannel } from '../../../main/host/port-channel.ts';
import { outDir } from '../../support/paths.ts';
import { tempDir } from '../../support/temp-dir.ts';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

async function startHost() {
  const started = performance.now();
  const child = fork(path.join(outDir, 'host.js'), [], {
    env: { ...process.env, LANYARD_HOME: tempDir() },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.once('message', (m) =>
      (m as { t?: string }).t === 'ready' ? resolve() : reject(new Error(`unexpected first message ${JSON.stringify(m)}`)),
    );
    child.once('exit', (code) => reject(new Error(`host exited with ${code}`)));
  });
  const readyMs = performance.now() - started;
  const api = buildApi(createClient(ipcChannel<HostMessage, ClientMessage>(child)));
  return { child, api, readyMs };
}

describe('the forked service host', () => {
  it('answers requests and says which transport it serves', async () => {
    const { api } = await startHost();
    const info = await api.app.info({});
    expect(info).toMatchObject({ name: 'Lanyard', transport: 'fork' });
  });

  it('streams doctor checks as they finish', async () => {
    const { api } = await startHost();
    const events: DoctorEvent[] = [];
    await new Promise<void>((resolve, reject) =>
      api.doctor.run({ only: ['openssl', 'keytool'] }, { next: (e) => events.push(e), error: reject, complete: resolve }),
    );
    expect(events.map((e) => e.type)).toEqual(['started', 'check', 'check', 'done']);
    const done = events.at(-1) as Extract<DoctorEvent, { type: 'done' }>;
    expect(done.report.versions.sqlite).toMatch(/^3\.\d+/);
  });

  it('rejects malformed params across the process boundary with the field named', async () => {
    const { api } = await startHost();
    const error = await api.doctor.report({ only: [''] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ code: 'invalid-argument', field: 'params.only.0' });
  });

  it('fails pending calls with a clear error when the host dies', async () => {
    const { api, child } = await startHost();
    const pending = api.doctor.report({});
    child.kill('SIGKILL');
    const error = await pending.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/closed/) });
  });

  it('exits when its parent disconnects', async () => {
    const { child } = await startHost();
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.disconnect();
    expect(await exited).toBe(0);
  });
});
