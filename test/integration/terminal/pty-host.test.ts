// The process boundary between the service host and its pty host: the shells are the pty host's children, output
// crosses in batches, flow control holds across it, a killed pty host ends its terminals with a message (and the
// next terminal gets a new one), and the pty host never outlives the service host.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { buildApi, type LanyardApi } from '../../../main/contract/api.ts';
import { createClient } from '../../../main/contract/client.ts';
import type { ClientMessage, HostMessage } from '../../../main/contract/wire.ts';
import { startInProcess } from '../../../main/host/in-process.ts';
import { ipcChannel } from '../../../main/host/port-channel.ts';
import type { TerminalEvent } from '../../../main/terminal/contract.ts';
import { batchMaxChars } from '../../../main/terminal/output-batcher.ts';
import { outDir } from '../../support/paths.ts';
import { attachTerminal, waitForText } from '../../support/terminal-attach.ts';
import { alive, commandLineOf, parentOf } from '../../support/proc-stat.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { bufferText } from '../../support/xterm.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntilGone(pids: number[], timeoutMs = 10_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(alive) && Date.now() < deadline) await sleep(50);
  return pids.filter(alive);
}

/** Every event of a terminal, acknowledged at once; resolves with them all at its exit. */
function collect(api: LanyardApi, id: string): Promise<TerminalEvent[]> {
  const events: TerminalEvent[] = [];
  return new Promise((resolve, reject) =>
    api.terminal.output(
      { id },
      {
        next: (event) => {
          events.push(event);
          if (event.type === 'exit') return resolve(events);
          void api.terminal.ack({ id, chars: event.data.length }).catch(() => undefined);
        },
        error: reject,
      },
    ),
  );
}

const dataOf = (events: TerminalEvent[]) => events.flatMap((e) => (e.type === 'data' ? [e.data] : []));

describe('the pty host (in-process service host)', () => {
  const home = tempDir();
  const lanyard = startInProcess({ env: { ...process.env, LANYARD_HOME: home, SHELL: '/bin/bash', HOME: home } });
  afterAll(() => lanyard.host.close());

  it("runs the shells as its own children, not the service host's", async () => {
    const info = await lanyard.api.terminal.open({ cols: 80, rows: 24, command: 'sleep 30', cwd: home });
    const ptyHost = parentOf(info.pid);
    expect(ptyHost).not.toBe(process.pid);
    expect(parentOf(ptyHost)).toBe(process.pid);
    expect(commandLineOf(ptyHost)).toMatch(/pty-host(-entry\.ts|\.js)/);
    await lanyard.api.terminal.close({ id: info.id });
  });

  it('joins many small writes into few messages, none over 64 KB, losing nothing', async () => {
    // 3,000 separate writes (one echo each), then a 2 MB flood in the PTY's largest reads.
    const lines = 3000;
    const floodChars = 2_000_000;
    const info = await lanyard.api.terminal.open({
      cols: 80,
      rows: 24,
      command: `for i in $(seq 1 ${lines}); do echo "line-$i"; done; head -c ${floodChars} /dev/zero | tr '\\0' x`,
      cwd: home,
    });
    const events = await collect(lanyard.api, info.id);
    const data = dataOf(events);
    const text = data.join('');
    const echoed = text.match(/line-\d+/g) ?? [];
    expect(echoed).toHaveLength(lines);
    expect(echoed.at(-1)).toBe(`line-${lines}`);
    expect(text.match(/x/g)?.length).toBe(floodChars);
    expect(Math.max(...data.map((d) => d.length))).toBeLessThanOrEqual(batchMaxChars);
    // Unbatched, each echo is at least one message: 3,000 writes and 2 MB cross in far fewer.
    expect(data.length).toBeLessThan(lines / 3);
    expect(events.at(-1)).toMatchObject({ type: 'exit', code: 0 });
  }, 60_000);

  it('pauses the PTY across the boundary while output is unacknowledged, and resumes on acks', async () => {
    const info = await lanyard.api.terminal.open({
      cols: 80,
      rows: 24,
      command: "head -c 3000000 /dev/zero | tr '\\0' x; echo; echo done",
      cwd: home,
    });
    let received = 0;
    let exit: Extract<TerminalEvent, { type: 'exit' }> | null = null;
    lanyard.api.terminal.output({ id: info.id }, { next: (e) => (e.type === 'data' ? (received += e.data.length) : (exit = e)) });
    // Wait until output stops arriving, then check that it stays stopped: paused, not slow.
    let last = -1;
    for (let i = 0; i < 100 && received !== last; i++) {
      last = received;
      await sleep(300);
    }
    expect(received).toBeGreaterThan(90_000);
    expect(received).toBeLessThan(100_000 + 2 * batchMaxChars);
    await sleep(1000);
    expect(received).toBe(last);
    expect(exit).toBeNull();
    // Acknowledge in steps, as a renderer catching up does: all 3,000,000 chars arrive, then the exit.
    let acked = 0;
    while (exit === null) {
      if (received > acked) {
        await lanyard.api.terminal.ack({ id: info.id, chars: received - acked });
        acked = received;
      }
      await sleep(20);
    }
    expect(received).toBeGreaterThan(3_000_000);
    expect(exit).toMatchObject({ code: 0 });
  }, 60_000);

  it('ends every open terminal with a message when the pty host is killed; the next terminal gets a new one', async () => {
    const interactive = await lanyard.api.terminal.open({ cols: 100, rows: 30, cwd: home });
    const streaming = await lanyard.api.terminal.open({
      cols: 100,
      rows: 30,
      command: 'while :; do echo streaming; sleep 0.01; done',
      cwd: home,
    });
    const tabs = [attachTerminal(lanyard, interactive.id, 100, 30), attachTerminal(lanyard, streaming.id, 100, 30)];
    await waitForText(tabs[0]!.term, /[#$] $/m);
    await waitForText(tabs[1]!.term, /streaming/);
    const ptyHost = parentOf(interactive.pid);
    expect(parentOf(streaming.pid)).toBe(ptyHost);

    process.kill(ptyHost, 'SIGKILL');
    for (const tab of tabs) {
      expect(await tab.exit).toMatchObject({ type: 'exit', code: null, signal: 1 });
      await waitForText(tab.term, /terminal process ended unexpectedly; open a new terminal/);
    }
    const listed = await lanyard.api.terminal.list({});
    expect(listed.filter((t) => [interactive.id, streaming.id].includes(t.id)).map((t) => t.exited)).toEqual([true, true]);
    // The shells lost their PTY with it (SIGHUP): nothing keeps running unseen.
    expect(await waitUntilGone([ptyHost, interactive.pid, streaming.pid])).toEqual([]);
    // Typing into an ended terminal is ignored, not an error.
    await lanyard.api.terminal.input({ id: interactive.id, data: 'echo hi\r' });

    const next = await lanyard.api.terminal.open({ cols: 100, rows: 30, cwd: home });
    expect(parentOf(next.pid)).not.toBe(ptyHost);
    const tab = attachTerminal(lanyard, next.id, 100, 30);
    await waitForText(tab.term, /[#$] $/m);
    await lanyard.api.terminal.input({ id: next.id, data: 'echo "after=$((40 + 2))"\r' });
    await waitForText(tab.term, /^after=42$/m);
    await lanyard.api.terminal.input({ id: next.id, data: 'exit 4\r' });
    expect((await tab.exit).code).toBe(4);
    expect(bufferText(tab.term)).not.toContain('ended unexpectedly');
  }, 60_000);
});

describe('the pty host of a forked service host (out/host.js, as the app runs it)', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  async function startHost(): Promise<{ child: ChildProcess; api: LanyardApi; home: string }> {
    const home = tempDir();
    const child = fork(path.join(outDir, 'host.js'), [], {
      env: { ...process.env, LANYARD_HOME: home, HOME: home, SHELL: '/bin/bash' },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`the host exited (${code}) before it was ready`)));
    });
    return { child, api: buildApi(createClient(ipcChannel<HostMessage, ClientMessage>(child))), home };
  }

  /** A terminal opened through the host; its shell's pid and its pty host's, once the shell answers. */
  async function openShell(api: LanyardApi, home: string): Promise<{ shell: number; ptyHost: number }> {
    const info = await api.terminal.open({ cols: 80, rows: 24, cwd: home, command: 'echo ready; sleep 600' });
    const events: string[] = [];
    api.terminal.output({ id: info.id }, { next: (e) => void (e.type === 'data' && events.push(e.data)) });
    const deadline = Date.now() + 20_000;
    while (!events.join('').includes('ready') && Date.now() < deadline) await sleep(50);
    expect(events.join('')).toContain('ready');
    return { shell: info.pid, ptyHost: parentOf(info.pid) };
  }

  it('finds the built pty host (out/pty-host.js)', async () => {
    const { child, api, home } = await startHost();
    const { ptyHost } = await openShell(api, home);
    expect(parentOf(ptyHost)).toBe(child.pid);
    expect(commandLineOf(ptyHost)).toContain(path.join(outDir, 'pty-host.js'));
  });

  it('leaves no pty host or shell behind when the service host is killed (SIGKILL)', async () => {
    const { child, api, home } = await startHost();
    const { shell, ptyHost } = await openShell(api, home);
    child.kill('SIGKILL');
    expect(await waitUntilGone([ptyHost, shell])).toEqual([]);
  });

  it('ends the pty host and its shells when the service host shuts down', async () => {
    const { child, api, home } = await startHost();
    const { shell, ptyHost } = await openShell(api, home);
    const exited = new Promise((r) => child.once('exit', r));
    child.disconnect();
    await exited;
    expect(await waitUntilGone([ptyHost, shell])).toEqual([]);
  });
});
