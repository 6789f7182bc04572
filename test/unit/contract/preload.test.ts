// Loads the built preload bundle with a fake of Electron's preload API (FakeElectron: the Electron binary cannot
// run here) and checks what it exposes to the page. Behind the fake port sits the real service host.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { apiShape } from '../../../main/contract/api.ts';
import { methodNames, streamNames } from '../../../main/contract/index.ts';
import type { Channel, ClientMessage, HostMessage } from '../../../main/contract/wire.ts';
import { createHost } from '../../../main/host/host.ts';
import { createHandlerTable } from '../../../main/host/services.ts';
import { outDir } from '../../support/paths.ts';
import { tempDir } from '../../support/temp-dir.ts';

function nodePortChannel(port: MessagePort): Channel<ClientMessage, HostMessage> {
  return { send: (m) => port.postMessage(m), onMessage: (l) => void port.on('message', l), onClose: (l) => void port.on('close', l) };
}

function loadPreload() {
  const exposed = new Map<string, unknown>();
  const sent: string[] = [];
  const onceListeners = new Map<string, (event: { ports: MessagePort[] }) => void>();
  const { port1, port2 } = new MessageChannel();
  const host = createHost(createHandlerTable({ transport: 'electron', env: { ...process.env, LANYARD_HOME: tempDir() } }));
  host.connect(nodePortChannel(port1));

  const FakeElectron = {
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
    ipcRenderer: {
      send: (channel: string) => {
        sent.push(channel);
        // main answers a trusted page's connect request with one end of a fresh channel
        queueMicrotask(() => onceListeners.get('lanyard:port')?.({ ports: [port2] }));
      },
      once: (channel: string, listener: (event: { ports: MessagePort[] }) => void) => onceListeners.set(channel, listener),
      on: () => {
        throw new Error('the preload should not subscribe to arbitrary IPC');
      },
    },
  };
  const source = readFileSync(path.join(outDir, 'app', 'preload.cjs'), 'utf8');
  const module = { exports: {} };
  const sandbox = {
    require: (name: string) => {
      if (name === 'electron') return FakeElectron;
      throw new Error(`a sandboxed preload cannot require "${name}"`);
    },
    module,
    exports: module.exports,
    queueMicrotask,
    console,
  };
  vm.runInNewContext(source, sandbox, { filename: 'preload.cjs' });
  return {
    exposed,
    sent,
    close: () => {
      port1.close();
      host.close();
    },
  };
}

describe('the preload (built bundle, FakeElectron)', () => {
  it('exposes exactly the contract as window.lanyard and nothing else', () => {
    const { exposed, close } = loadPreload();
    expect([...exposed.keys()]).toEqual(['lanyard']);
    expect(apiShape(exposed.get('lanyard') as object)).toEqual([...methodNames, ...streamNames].sort());
    close();
  });

  it('asks main for a port once and reaches the real host through it', async () => {
    const { exposed, sent, close } = loadPreload();
    const api = exposed.get('lanyard') as { app: { info(p: object): Promise<{ transport: string }> } };
    const info = await api.app.info({});
    expect(info.transport).toBe('electron');
    expect(sent).toEqual(['lanyard:connect']);
    close();
  });

  it('passes service errors across the bridge as plain objects that keep code, field and hint', async () => {
    const { exposed, close } = loadPreload();
    const api = exposed.get('lanyard') as { doctor: { report(p: unknown): Promise<unknown> } };
    const error = await api.doctor.report({ only: 'openssl' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).not.toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: 'invalid-argument', field: 'params.only' });
    close();
  });
});
