// The pty host: a Node process of its own (forked by pty-host.ts) that owns the terminals' PTYs, so a flood of
// shell output is read, batched and paused here rather than on the service host's event loop. It exits when the
// service host goes away (its IPC channel closes), taking the PTYs with it: the shells get SIGHUP.
import { spawn, type IPty } from 'node-pty';
import { createFlowControl, type FlowControl } from './flow-control.ts';
import { createOutputBatcher, type OutputBatcher } from './output-batcher.ts';
import type { FromPtyHost, PtyLaunch, ToPtyHost } from './pty-protocol.ts';

interface Pty {
  pty: IPty;
  flow: FlowControl;
  batcher: OutputBatcher;
  exited: boolean;
}

const ptys = new Map<string, Pty>();

function send(message: FromPtyHost): void {
  if (process.connected) process.send!(message);
}

function open(id: string, launch: PtyLaunch): void {
  const startedAt = performance.now();
  let pty: IPty;
  try {
    pty = spawn(launch.file, launch.args, {
      name: 'xterm-256color',
      cols: launch.cols,
      rows: launch.rows,
      cwd: launch.cwd,
      env: launch.env,
    });
  } catch (error) {
    send({ t: 'failed', id, message: (error as Error).message });
    return;
  }
  const flow = createFlowControl(
    () => {
      pty.pause();
      send({ t: 'flow', id, paused: true });
    },
    () => {
      pty.resume();
      send({ t: 'flow', id, paused: false });
    },
  );
  const entry: Pty = { pty, flow, batcher: createOutputBatcher((data) => send({ t: 'data', id, data })), exited: false };
  ptys.set(id, entry);
  send({ t: 'opened', id, pid: pty.pid });
  pty.onData((data) => {
    // Counted as it is read, so the PTY pauses at the high-water mark whatever the batch holds.
    flow.sent(data.length);
    entry.batcher.push(data);
  });
  pty.onExit(({ exitCode, signal }) => {
    entry.exited = true;
    const durationMs = Math.round(performance.now() - startedAt);
    // node-pty can report the exit before the last output is read: let pending data events run first.
    setTimeout(() => {
      entry.batcher.flush();
      entry.batcher.dispose();
      ptys.delete(id);
      send({ t: 'exit', id, code: signal ? null : exitCode, signal: signal || null, durationMs });
    }, 20);
  });
}

process.on('message', (message: ToPtyHost) => {
  if (message.t === 'open') {
    open(message.id, message.launch);
    return;
  }
  const entry = ptys.get(message.id);
  if (!entry || entry.exited) return;
  if (message.t === 'input') entry.pty.write(message.data);
  else if (message.t === 'resize') entry.pty.resize(message.cols, message.rows);
  else if (message.t === 'ack') entry.flow.acked(message.chars);
  else if (message.t === 'kill') entry.pty.kill();
});

// The service host exited or was killed: nobody is left to see these terminals.
process.on('disconnect', () => {
  for (const entry of ptys.values()) if (!entry.exited) entry.pty.kill();
  process.exit(0);
});

if (!process.send) {
  process.stderr.write('lanyard pty host: the service host starts me with child_process.fork().\n');
  process.exit(2);
}
