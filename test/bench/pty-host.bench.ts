// What terminals cost the service host: 4 terminals' output driven through the forked host (out/host.js, as the
// app runs it) and acknowledged as the Terminal view does, in two shapes — paced log lines as the soak streams them,
// then a flood — with the CPU time of the host and of its pty host per MB relayed, and the host's longest event-loop
// stall. The peer, same run: util-linux `script` relaying the same output from a PTY to /dev/null (C, no viewer, no flow control).
// LANYARD_PTY_BENCH_SECONDS (default 20) sets the paced run's length; the flood is 20 MB per terminal.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApi, type LanyardApi } from '../../main/contract/api.ts';
import { createClient } from '../../main/contract/client.ts';
import type { ClientMessage, HostMessage } from '../../main/contract/index.ts';
import { hostExecArgv } from '../../main/system/host-heap-flags.ts';
import { loopDelayMarker, loopDelayVariable, type LoopDelayReport } from '../../main/host/loop-delay.ts';
import { ipcChannel } from '../../main/host/port-channel.ts';
import { childRunning } from '../support/proc-stat.ts';
import { cpuSeconds, loadAverage, report, withTempHome } from './support.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const hostBundle = path.join(here, '..', '..', 'out', 'host.js');
const seconds = Number(process.env.LANYARD_PTY_BENCH_SECONDS ?? 20);
const terminals = 4;
const line = 'soak %g: 2026-11-28T08:00:00Z INFO request handled in 12ms path=/api/v1/items';
const shapes = [
  // The soak's stream (100 lines every 50 ms), for a fixed number of bursts so both sides relay the same bytes.
  { name: 'paced log lines', command: `for i in $(seq 1 ${seconds * 20}); do seq -f '${line}' 1 100; sleep 0.05; done` },
  { name: 'flood', command: `yes '${line.replace('%g', '1')}' | head -c 20000000` },
];

/** The host's event-loop delay since the last call (its opt-in report, one stderr line per SIGUSR2). */
function loopDelayReader(child: ChildProcess): () => Promise<LoopDelayReport> {
  let stderr = '';
  let reports = 0;
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return async () => {
    const index = reports++;
    child.kill('SIGUSR2');
    for (let waited = 0; waited < 10_000; waited += 20) {
      const found = stderr.split('\n').filter((l) => l.startsWith(loopDelayMarker));
      if (found.length > index) return JSON.parse(found[index]!.slice(loopDelayMarker.length)) as LoopDelayReport;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the host wrote no event-loop delay report within 10 s');
  };
}

interface Relayed {
  mb: number;
  stall: LoopDelayReport;
  hostCpu: number;
  ptyHostCpu: number | null;
  messages: number;
}

async function throughHost(
  api: LanyardApi,
  hostPid: number,
  loopDelay: () => Promise<LoopDelayReport>,
  home: string,
  command: string,
): Promise<Relayed> {
  let chars = 0;
  let messages = 0;
  // A first terminal forks the pty host before the clock starts, as in the app after the first tab.
  const warm = await api.terminal.open({ cols: 120, rows: 40, command: 'true', cwd: home });
  await new Promise<void>((resolve) => api.terminal.output({ id: warm.id }, { next: (e) => e.type === 'exit' && resolve() }));
  const ptyHost = childRunning(hostPid, 'pty-host');
  const hostAtStart = cpuSeconds(hostPid);
  const ptyAtStart = ptyHost === null ? 0 : cpuSeconds(ptyHost);
  await loopDelay();
  const open = await Promise.all(Array.from({ length: terminals }, () => api.terminal.open({ cols: 120, rows: 40, command, cwd: home })));
  await Promise.all(
    open.map(
      ({ id }) =>
        new Promise<void>((resolve) =>
          api.terminal.output(
            { id },
            {
              next: (event) => {
                if (event.type === 'exit') return resolve();
                chars += event.data.length;
                messages++;
                void api.terminal.ack({ id, chars: event.data.length });
              },
            },
          ),
        ),
    ),
  );
  return {
    mb: chars / 1024 / 1024,
    stall: await loopDelay(),
    hostCpu: cpuSeconds(hostPid) - hostAtStart,
    ptyHostCpu: ptyHost === null ? null : cpuSeconds(ptyHost) - ptyAtStart,
    messages,
  };
}

/** The peer: `script` relaying each terminal's output to /dev/null; its own CPU (not the command's). */
async function throughScript(command: string, cwd: string): Promise<{ cpu: number }> {
  const runs = Array.from({ length: terminals }, () => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
    let cpu = 0;
    const sample = setInterval(() => {
      try {
        cpu = cpuSeconds(child.pid!);
      } catch {
        // exited between samples
      }
    }, 50);
    return new Promise<number>((resolve) =>
      child.once('exit', () => {
        clearInterval(sample);
        resolve(cpu);
      }),
    );
  });
  return { cpu: (await Promise.all(runs)).reduce((a, b) => a + b, 0) };
}

if (!existsSync(hostBundle)) throw new Error('out/host.js is missing: npm run bench builds it first');
process.stdout.write(`${terminals} terminals; paced run ${seconds} s (LANYARD_PTY_BENCH_SECONDS); load average ${loadAverage()}\n`);
await withTempHome(async (home) => {
  const child = fork(hostBundle, [], {
    execArgv: [...hostExecArgv, ...(process.env.LANYARD_SOAK_HOST_ARGS ?? '').split(' ').filter(Boolean)],
    env: { ...process.env, LANYARD_HOME: home, HOME: home, LANYARD_SHELL: '/bin/sh', [loopDelayVariable]: '1' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const loopDelay = loopDelayReader(child);
  await new Promise<void>((resolve) => child.once('message', () => resolve()));
  const api = buildApi(createClient(ipcChannel<HostMessage, ClientMessage>(child)));
  try {
    for (const shape of shapes) {
      const relayed = await throughHost(api, child.pid!, loopDelay, home, shape.command);
      const peer = await throughScript(shape.command, home);
      process.stdout.write(`\n${shape.name} — load average ${loadAverage()}\n`);
      report('relayed to the viewer', relayed.mb, 'MB');
      report('messages to the viewer per MB', relayed.messages / relayed.mb, 'msg');
      report('service host CPU per MB', (1000 * relayed.hostCpu) / relayed.mb, 'ms');
      report('service host longest event-loop stall', relayed.stall.maxMs, 'ms');
      report('service host event-loop delay p99', relayed.stall.p99Ms, 'ms');
      if (relayed.ptyHostCpu !== null) report('pty host CPU per MB', (1000 * relayed.ptyHostCpu) / relayed.mb, 'ms');
      report('peer: util-linux script CPU per MB (same commands)', (1000 * peer.cpu) / relayed.mb, 'ms');
    }
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.disconnect();
    await exited;
  }
});
