// The terminal service end to end through the contract: real PTYs (node-pty), output rendered by
// @xterm/headless and acknowledged as a renderer would.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TerminalEvent } from '../../../main/terminal/contract.ts';
import { startInProcess, type InProcess } from '../../../main/host/in-process.ts';
import { dockerPeers, runDetached, startTestEngine, type TestEngine } from '../../support/dockerd.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { bufferText, headlessTerminal, writeAsync, type HeadlessTerminal } from '../../support/xterm.ts';

interface Attached {
  term: HeadlessTerminal;
  exit: Promise<Extract<TerminalEvent, { type: 'exit' }>>;
  stop(): void;
}

/** Subscribe to a terminal's output, render it into headless xterm and ack each chunk once written. */
function attach(lanyard: InProcess, id: string, cols = 100, rows = 30): Attached {
  const term = headlessTerminal(cols, rows);
  let resolveExit!: (e: Extract<TerminalEvent, { type: 'exit' }>) => void;
  const exit = new Promise<Extract<TerminalEvent, { type: 'exit' }>>((r) => (resolveExit = r));
  const stop = lanyard.api.terminal.output(
    { id },
    {
      next: (event) => {
        if (event.type === 'exit') return resolveExit(event);
        term.write(event.data, () => void lanyard.api.terminal.ack({ id, chars: event.data.length }));
      },
    },
  );
  return { term, exit, stop };
}

async function waitForText(term: HeadlessTerminal, pattern: RegExp, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(bufferText(term))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; screen:\n${bufferText(term)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('terminal service (node-pty + @xterm/headless)', () => {
  const home = tempDir();
  const lanyard = startInProcess({ env: { ...process.env, LANYARD_HOME: home, SHELL: '/bin/bash', HOME: home } });
  afterAll(() => lanyard.host.close());

  it('runs a command line in the login shell and reports its exit code and duration', async () => {
    const info = await lanyard.api.terminal.open({ cols: 80, rows: 24, command: 'echo "cols=$(tput cols) term=$TERM"; exit 7', cwd: home });
    expect(info).toMatchObject({ shell: '/bin/bash', cwd: home, exited: false, command: expect.stringContaining('exit 7') });
    const tab = attach(lanyard, info.id, 80, 24);
    const exit = await tab.exit;
    expect(exit).toMatchObject({ code: 7, signal: null });
    expect(exit.durationMs).toBeGreaterThanOrEqual(0);
    await writeAsync(tab.term, '');
    expect(bufferText(tab.term)).toContain('cols=80 term=xterm-256color');
    expect((await lanyard.api.terminal.list({})).find((t) => t.id === info.id)?.exited).toBe(true);
    await lanyard.api.terminal.close({ id: info.id });
  });

  it('starts an interactive login shell that reads the profile; takes input and resizes', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(home, '.bash_profile'), 'export FROM_PROFILE=yes\nPS1="lanyard\\$ "\n');
    const info = await lanyard.api.terminal.open({ cols: 80, rows: 24, cwd: home });
    const tab = attach(lanyard, info.id, 80, 24);
    await waitForText(tab.term, /lanyard\$ $/m);
    await lanyard.api.terminal.input({ id: info.id, data: 'echo "profile=$FROM_PROFILE"\r' });
    await waitForText(tab.term, /profile=yes/);
    await lanyard.api.terminal.resize({ id: info.id, cols: 120, rows: 40 });
    tab.term.resize(120, 40);
    await lanyard.api.terminal.input({ id: info.id, data: 'stty size\r' });
    await waitForText(tab.term, /^40 120$/m);
    await lanyard.api.terminal.input({ id: info.id, data: 'exit 3\r' });
    expect((await tab.exit).code).toBe(3);
  });

  for (const shell of ['bash', 'zsh', 'fish']) {
    it(`gives an interactive ${shell} Lanyard's history hook, after the user's own startup files`, async () => {
      const shellHome = tempDir();
      const { mkdirSync, writeFileSync, readdirSync, readFileSync } = await import('node:fs');
      // The user's startup files, without the hook installed in them.
      writeFileSync(path.join(shellHome, '.bash_profile'), 'export FROM_PROFILE=yes\n');
      writeFileSync(path.join(shellHome, '.zshrc'), 'export FROM_PROFILE=yes\n');
      mkdirSync(path.join(shellHome, '.config', 'fish'), { recursive: true });
      writeFileSync(path.join(shellHome, '.config', 'fish', 'config.fish'), 'set -gx FROM_PROFILE yes\n');
      const data = path.join(shellHome, 'lanyard');
      const app = startInProcess({
        env: {
          ...process.env,
          LANYARD_HOME: data,
          SHELL: `/usr/bin/${shell}`,
          HOME: shellHome,
          XDG_CONFIG_HOME: path.join(shellHome, '.config'),
          ZDOTDIR: '',
        },
      });
      const info = await app.api.terminal.open({ cols: 100, rows: 24, cwd: shellHome });
      const tab = attach(app, info.id);
      await app.api.terminal.input({ id: info.id, data: 'echo "profile=$FROM_PROFILE hooked=$_lanyard_hooked"\r' });
      await waitForText(tab.term, /profile=yes hooked=1/);
      await app.api.terminal.input({ id: info.id, data: 'echo recorded-by-hook\r' });
      await waitForText(tab.term, /^recorded-by-hook$/m);
      await app.api.terminal.input({ id: info.id, data: 'exit\r' });
      await tab.exit;
      const spool = path.join(data, 'spool');
      const text = readdirSync(spool)
        .map((f) => readFileSync(path.join(spool, f), 'latin1'))
        .join('');
      expect(text).toContain('echo recorded-by-hook');
      app.host.close();
    });
  }

  it('ends a terminal whose viewer went away and did not come back', async () => {
    const info = await lanyard.api.terminal.open({ cols: 80, rows: 24, cwd: home });
    const tab = attach(lanyard, info.id);
    await waitForText(tab.term, /\$ $/m);
    tab.stop();
    await new Promise((r) => setTimeout(r, 3500));
    expect((await lanyard.api.terminal.list({})).some((t) => t.id === info.id)).toBe(false);
  });

  it('holds output until someone listens, then pauses a flood at the high-water mark until acked', async () => {
    const info = await lanyard.api.terminal.open({
      cols: 80,
      rows: 24,
      command: "head -c 3000000 /dev/zero | tr '\\0' x; echo; echo done",
      cwd: home,
    });
    // Listen without acknowledging: the PTY must stop near 100,000 chars.
    let received = 0;
    const events: TerminalEvent[] = [];
    const stopSilent = lanyard.api.terminal.output(
      { id: info.id },
      { next: (e) => (events.push(e), e.type === 'data' && (received += e.data.length)) },
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(received).toBeGreaterThan(90_000);
    expect(received).toBeLessThan(200_000);
    stopSilent();
    // A new listener that acks gets everything that was held, then the rest.
    let total = received;
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    lanyard.api.terminal.output(
      { id: info.id },
      {
        next: (event) => {
          if (event.type === 'exit') return resolveDone();
          total += event.data.length;
          void lanyard.api.terminal.ack({ id: info.id, chars: event.data.length });
        },
      },
    );
    // What the silent listener got was never acked: ack it now, as a renderer catching up would.
    await lanyard.api.terminal.ack({ id: info.id, chars: received });
    await done;
    expect(total).toBeGreaterThan(3_000_000);
  }, 60_000);
});

const peers = dockerPeers();

describe.skipIf(!peers)('interactive docker exec -it through a PTY (real dockerd)', () => {
  let engine: TestEngine;
  let lanyard: InProcess;
  const home = tempDir();

  beforeAll(async () => {
    engine = await startTestEngine();
    lanyard = startInProcess({ env: { ...engine.env, LANYARD_HOME: home, SHELL: '/bin/bash', HOME: home } });
    runDetached(engine, 'web', 'echo ready > /tmp/ready; while :; do sleep 1; done');
  });
  afterAll(async () => {
    lanyard?.host.close();
    await engine?.stop();
  });

  it('opens the exec-shell cheat in a terminal and drives an interactive sh inside the container', async () => {
    const { command, missing } = await lanyard.api.docker.render({ id: 'exec-shell', values: { container: 'web', shell: 'sh' } });
    expect(missing).toEqual([]);
    expect(command).toBe('docker exec -it web sh');
    const info = await lanyard.api.terminal.open({ cols: 100, rows: 30, command, cwd: home });
    const tab = attach(lanyard, info.id);
    await waitForText(tab.term, /[#$] $/m);
    await lanyard.api.terminal.input({ id: info.id, data: 'cat /tmp/ready; echo "in=$(hostname)"; tty\r' });
    await waitForText(tab.term, /^ready$/m);
    await waitForText(tab.term, /^\/dev\/pts\/\d+$/m);
    const hostname = engine.cli(['inspect', '--format', '{{.Config.Hostname}}', 'web']).trim();
    expect(bufferText(tab.term)).toContain(`in=${hostname}`);
    await lanyard.api.terminal.input({ id: info.id, data: 'exit 5\r' });
    expect((await tab.exit).code).toBe(5);
  });
});
