// Load and soak: the service host as the app runs it (a forked out/host.js, driven through the contract) for
// LANYARD_SOAK_SECONDS (default 300) with everything at once — 50k pkt/s of TZSP from 200 named sensors into a
// rotating pcapng, 4 terminals streaming a shell loop's output, 100 history records a second through the spool,
// containers created, started, stopped and removed in a loop on a private dockerd while the host follows the
// engine's events and lists containers on each — then the same TZSP stream alone (the baseline). Reported: host
// RSS with its captures receiver's (every 10 s, and each host thread's heap after warm-up, mid-run and at the end),
// each process's CPU (host, receiver, pty host, this bench's clients), the host's longest event-loop
// stall and how much of it its thread spent running code, GC pauses ≥ 50 ms (its opt-in LANYARD_LOOP_DELAY_REPORT),
// and packets lost. LANYARD_SOAK_ONLY=everything skips the baseline; LANYARD_SOAK_PROFILE=1 profiles every thread
// of the host process (not its helper processes) and prints each one's top self time and longest tasks.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApi, type LanyardApi } from '../../main/contract/api.ts';
import { createClient } from '../../main/contract/client.ts';
import type { CaptureStatus } from '../../main/captures/contract.ts';
import type { ClientMessage, HostMessage } from '../../main/contract/index.ts';
import { connectEngine } from '../../main/docker/engine.ts';
import { hostExecArgv } from '../../main/system/host-heap-flags.ts';
import { longGcMs, loopDelayMarker, loopDelayVariable, type LoopDelayReport } from '../../main/host/loop-delay.ts';
import { ipcChannel } from '../../main/host/port-channel.ts';
import { dockerPeers, startTestEngine, testImage, type TestEngine } from '../support/dockerd.ts';
import { childRunning, rssMbOf } from '../support/proc-stat.ts';
import { printProfile, summarizeProfile } from './cpu-profile-tasks.ts';
import { cpuSeconds, loadAverage, report, withTempHome } from './support.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
// LANYARD_SOAK_HOST_BUNDLE: another build's out/host.js (a checkout before a change), measured the same way.
const hostBundle = process.env.LANYARD_SOAK_HOST_BUNDLE ?? path.join(here, '..', '..', 'out', 'host.js');
const seconds = Number(process.env.LANYARD_SOAK_SECONDS ?? 300);
const packetsPerSecond = 50_000;
const sensorCount = 200;
const terminalCount = 4;
const commandsPerSecond = 100;
/** RSS "before" is taken this far into the load, once every buffer, cache and heap has reached its working size. */
const warmupSeconds = Math.min(30, seconds / 4);
/** After the load: time for the socket buffer to drain, then for the host to settle before the last RSS. */
const drainMs = 1000;
const settleMs = 5000;
const stallWindowMs = 5000;
// A log-like line, 100 at a time, 20 times a second per terminal: about 160 KB/s each, without a fork per line.
const streamingCommand =
  "while :; do seq -f 'soak %g: 2026-11-28T08:00:00Z INFO request handled in 12ms path=/api/v1/items' 1 100; sleep 0.05; done";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Host {
  api: LanyardApi;
  pid: number;
  /** Resident set size from /proc/<pid>/status, in MB: the host's and its captures receiver's (while it runs), which
   *  until it became a process of its own was a thread of the host. */
  rssMb(): number;
  /** The host's event-loop delay since the previous call (the first call covers its start). */
  loopDelay(): Promise<LoopDelayReport>;
  /** What the host wrote on stderr, other than the delay reports. */
  log(): string[];
  stop(): Promise<void>;
}

/** LANYARD_SOAK_PROFILE=1: each run's host is profiled (--cpu-prof, every thread), and what it did is printed. */
const profiling = process.env.LANYARD_SOAK_PROFILE === '1';

async function startHost(home: string, env: NodeJS.ProcessEnv, profileDir: string | null): Promise<Host> {
  const child = fork(hostBundle, [], {
    // As the app starts it (main/app/host-launcher.ts); LANYARD_SOAK_HOST_ARGS adds more V8 or Node flags.
    execArgv: [
      ...hostExecArgv,
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      ...(process.env.LANYARD_SOAK_HOST_ARGS ?? '').split(' ').filter(Boolean),
    ],
    env: { ...process.env, ...env, LANYARD_HOME: home, HOME: home, LANYARD_SHELL: '/bin/sh', [loopDelayVariable]: '1' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the host exited (${code}) before it was ready:\n${stderr}`)));
  });
  const lines = () => stderr.split('\n');
  let reports = 0;
  return {
    api: buildApi(createClient(ipcChannel<HostMessage, ClientMessage>(child))),
    pid: child.pid!,
    rssMb: () => {
      const receiver = helperOf(child.pid!, 'captures-receiver');
      return rssMbOf(child.pid!) + (receiver === null ? 0 : rssMbOf(receiver));
    },
    async loopDelay() {
      const index = reports++;
      child.kill('SIGUSR2');
      for (let waited = 0; waited < 10_000; waited += 20) {
        const found = lines().filter((l) => l.startsWith(loopDelayMarker));
        if (found.length > index) return JSON.parse(found[index]!.slice(loopDelayMarker.length)) as LoopDelayReport;
        await sleep(20);
      }
      throw new Error('the host wrote no event-loop delay report within 10 s');
    },
    log: () => lines().filter((l) => l.trim() && !l.startsWith(loopDelayMarker)),
    stop: () => stopChild(child, () => child.disconnect()),
  };
}

/** A helper process the host has forked, if it runs: the pty host, the captures receiver (by their bundles' names,
 *  or their sources' when LANYARD_SOAK_HOST_BUNDLE is an older build). */
function helperOf(hostPid: number, helper: 'pty-host' | 'captures-receiver'): number | null {
  return helper === 'pty-host' ? childRunning(hostPid, 'pty-host') : childRunning(hostPid, 'captures-receiver', 'receive-process-entry');
}

/** Ask politely (`polite`), then SIGKILL after 10 s. */
async function stopChild(child: ChildProcess, polite: () => void): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  polite();
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** A running part of the load: stop() ends it and says what it did. */
interface Load {
  stop(): Promise<string>;
}

interface Sent {
  sent: number;
  seconds: number;
  /** Seconds the sender's schedule moved on while it was kept off the CPU (it sends at most 20 ms of it at once). */
  slipped: number;
}

/** The sensors, from their own process: resolves with how many datagrams were sent, in how long.
 *  In a session of its own (`detached`): sensors are other machines, and Linux's autogroup scheduler shares a
 *  core's time out per session — in the bench's session the sender (half a core at 50k pkt/s) would be charged to
 *  the host's share, while each terminal's shell and each container already has a share of its own. */
function sendTzsp(port: number): { done: Promise<Sent>; child: ChildProcess } {
  const child = spawn(
    process.execPath,
    [path.join(here, 'captures-sender.ts'), String(port), String(packetsPerSecond), String(seconds), String(sensorCount)],
    { stdio: ['ignore', 'pipe', 'inherit'], detached: true },
  );
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const done = new Promise<Sent>((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Sent) : reject(new Error(`the TZSP sender exited ${code}`)),
    ),
  );
  return { done, child };
}

/** The Captures view left open: status pushes and packet summaries, as the renderer subscribes. */
function watchCaptures(api: LanyardApi): Load {
  let statuses = 0;
  let summaries = 0;
  // When the kernel dropped datagrams: seconds since the view opened, and how many in that status push.
  const started = performance.now();
  let drops = 0;
  const dropTimes: string[] = [];
  const unsubscribe = api.captures.live(
    { intervalMs: 1000 },
    {
      next: (event) => {
        if (event.type !== 'status') return void (summaries += event.packets.length);
        statuses++;
        const now = event.status.totals.kernelDrops ?? 0;
        if (now > drops) dropTimes.push(`${now - drops} at ${((performance.now() - started) / 1000).toFixed(0)} s`);
        drops = now;
      },
      error: (error) => process.stdout.write(`  captures.live failed: ${error.message}\n`),
    },
  );
  return {
    async stop() {
      unsubscribe();
      return `${statuses} status pushes, ${summaries} packet summaries; kernel drops ${dropTimes.length ? dropTimes.join(', ') : 'none'}`;
    },
  };
}

/** Terminals running a shell loop, their output read and acknowledged as the terminal view does. */
async function streamTerminals(api: LanyardApi, cwd: string): Promise<Load> {
  let chars = 0;
  const problems: string[] = [];
  const open = await Promise.all(
    Array.from({ length: terminalCount }, () => api.terminal.open({ cols: 120, rows: 40, command: streamingCommand, cwd, title: 'soak' })),
  );
  const unsubscribes = open.map(({ id }) =>
    api.terminal.output(
      { id },
      {
        next: (event) => {
          if (event.type === 'exit') return void problems.push(`terminal ${id} exited (${event.code}) mid-run`);
          chars += event.data.length;
          api.terminal.ack({ id, chars: event.data.length }).catch((error: Error) => problems.push(error.message));
        },
        error: (error) => problems.push(error.message),
      },
    ),
  );
  return {
    async stop() {
      for (const unsubscribe of unsubscribes) unsubscribe();
      await Promise.all(open.map(({ id }) => api.terminal.close({ id })));
      return `${terminalCount} terminals streamed ${(chars / 1024 / 1024).toFixed(1)} MB${problems.length ? `; PROBLEMS: ${problems.slice(0, 3).join('; ')}` : ''}`;
    },
  };
}

/** Spool records as the zsh and fish hooks append them (resources/shell), from as many sessions as terminals. */
function spoolRecord(session: string, n: number, cwd: string, startMicros: number): string {
  // Microseconds, as zsh's $EPOCHREALTIME: a session's runs never share a start (it is their dedupe key).
  const clock = `${Math.floor(startMicros / 1e6)}.${String(startMicros % 1e6).padStart(6, '0')}`;
  // L3: the command escaped (these hold no backslash or NUL), then the lone backslash that ends the record.
  return ['L3', session, 'zsh', 'soakhost', 'soak', clock, clock, String(n % 7 === 0 ? 1 : 0), cwd, soakCommand(n), '\\']
    .map((f) => `${f}\0`)
    .join('');
}
const soakCommand = (n: number) => `kubectl --context soak-${n % 13} get pods -l run=soak-${n}`;

/** 100 commands a second into the spool while the host follows history.changes; then all stored, and found by search? */
function ingestHistory(api: LanyardApi, home: string): Load {
  const spool = path.join(home, 'spool');
  mkdirSync(spool, { recursive: true, mode: 0o700 });
  let written = 0;
  let ingested = 0;
  const failures: string[] = [];
  const started = performance.now();
  const unsubscribe = api.history.changes({}, { next: ({ added }) => (ingested += added), error: (error) => failures.push(error.message) });
  // Ten every 100 ms, spread over the sessions; one append per record, as a shell does.
  const timer = setInterval(() => {
    const now = Date.now() * 1000;
    for (let i = 0; i < commandsPerSecond / 10; i++) {
      const n = written++;
      const session = `soak-session-${n % terminalCount}`;
      appendFile(path.join(spool, `${session}.spool`), spoolRecord(session, n, home, now + i)).catch((error: Error) =>
        failures.push(error.message),
      );
    }
  }, 100);
  return {
    async stop() {
      clearInterval(timer);
      const rate = written / ((performance.now() - started) / 1000);
      await sleep(200);
      // Whatever the watcher left for later (claimed files still in their quiet period) is ingested now.
      const deadline = Date.now() + 15_000;
      let stored = (await api.history.stats({})).runs;
      while (stored < written && Date.now() < deadline) {
        await api.history.ingest({});
        stored = (await api.history.stats({})).runs;
        if (stored < written) await sleep(500);
      }
      unsubscribe();
      // The first, a middle and the last command, each found as itself.
      const probes = [0, Math.floor(written / 2), written - 1];
      let found = 0;
      for (const n of probes) {
        const { rows } = await api.history.search({ query: `run=soak-${n}`, mode: 'substring', limit: 5 });
        if (rows.some((r) => r.command === soakCommand(n))) found++;
      }
      const ok = stored === written && found === probes.length;
      return `history: ${written} written (${rate.toFixed(0)}/s), ${stored} stored (${ingested} announced while running), ${found}/${probes.length} probes found${ok ? '' : ' — MISSING RECORDS'}${failures.length ? `; PROBLEMS: ${failures.slice(0, 3).join('; ')}` : ''}`;
    },
  };
}

/** Containers created, started, stopped and removed back to back, while the host follows /events and lists on each. */
function churnEngine(api: LanyardApi, engine: TestEngine): Load {
  const client = connectEngine({ id: 'DOCKER_HOST', host: engine.host, source: 'DOCKER_HOST', context: null, tls: null });
  let running = true;
  let cycles = 0;
  let attempts = 0;
  let events = 0;
  let lists = 0;
  let listing = false;
  const failures: string[] = [];
  const unsubscribe = api.docker.events(
    {},
    {
      next: () => {
        events++;
        // The Docker view refreshes its list on an event; one refresh in flight at a time, as it does.
        if (listing) return;
        listing = true;
        api.docker
          .containers({ all: true })
          .then(
            () => lists++,
            (error: Error) => failures.push(error.message),
          )
          .finally(() => (listing = false));
      },
      error: (error) => failures.push(`docker.events: ${error.message}`),
    },
  );
  const loop = (async () => {
    while (running) {
      try {
        const { Id: id } = await client.json<{ Id: string }>(
          'POST',
          '/containers/create',
          { name: `soak-${attempts++}` },
          { Image: testImage, Cmd: ['sleep', '3600'] },
        );
        await client.json('POST', `/containers/${id}/start`);
        await client.json('POST', `/containers/${id}/stop`, { t: 0 });
        await client.json('DELETE', `/containers/${id}`, { force: true });
        cycles++;
      } catch (error) {
        failures.push((error as Error).message);
        await sleep(500);
      }
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      unsubscribe();
      return `engine: ${cycles} container lifecycles, ${events} events followed, ${lists} container lists${failures.length ? `; ${failures.length} PROBLEMS, first: ${failures[0]}` : ''}`;
    },
  };
}

interface Figures {
  sent: number;
  sendSeconds: number;
  sendSlipped: number;
  received: number;
  status: CaptureStatus;
  rssBefore: number;
  rssAfter: number;
  rssSettled: number;
  startupStall: LoopDelayReport;
  /** One report per stallWindowMs of the run, in order, with the host's RSS at its end. */
  stalls: LoopDelayReport[];
  rssTimeline: number[];
  /** The captures receiver's own share of rssBefore and rssAfter. */
  receiverRss: [number, number] | null;
  /** The index in `stalls` of the window that ended the warm-up (where "before" was taken). */
  warmedAt: number;
  /** What the host's threads did (LANYARD_SOAK_PROFILE=1), printed. */
  profile: string | null;
  /** The host's CPU time (every thread of its own process) over the load's wall time. */
  hostCpuPercent: number;
  /** The same for its captures receiver (a child of the host; a thread of it in builds before), null when none. */
  receiverCpuPercent: number | null;
  /** The host's and its receiver's CPU time together: what the host spent on the run, as earlier builds measured it. */
  hostCpuSeconds: number;
  /** The same for the terminals' pty host (a child of the host), null when there is none. */
  ptyHostCpuPercent: number | null;
  /** This bench's own process: the clients (the renderer's stand-in) reading terminals, events and status, and the
   *  Engine churn and spool appends. In the host's session, as the app's renderer is in the app's. */
  clientCpuPercent: number;
  /** At the end of the run. */
  loadAverage: string;
  notes: string[];
  hostLog: string[];
}

/** The profiles' summaries, the host's thread first (V8 names a thread's file …<pid>.<thread id>.<n>.cpuprofile). */
function profileReport(dir: string): string {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => ({ f, thread: Number(f.split('.').at(-3)) }))
    .sort((a, b) => a.thread - b.thread);
  return files
    .map(({ f, thread }) =>
      printProfile(thread === 0 ? "host's thread" : `worker thread ${thread}`, summarizeProfile(path.join(dir, f), thread === 0 ? 6 : 2)),
    )
    .join('');
}

async function soak(withLoad: boolean, engine: TestEngine | null): Promise<Figures> {
  const profileDir = profiling ? mkdtempSync(path.join(os.tmpdir(), 'lanyard-soak-profile-')) : null;
  const figures = await soakRun(withLoad, engine, profileDir);
  if (profileDir) {
    figures.profile = profileReport(profileDir);
    rmSync(profileDir, { recursive: true, force: true });
  }
  return figures;
}

async function soakRun(withLoad: boolean, engine: TestEngine | null, profileDir: string | null): Promise<Figures> {
  return withTempHome(async (home) => {
    const host = await startHost(home, engine?.env ?? {}, profileDir);
    const sender: { child: ChildProcess | null } = { child: null };
    const loads: Load[] = [];
    try {
      const { api } = host;
      const started = await api.captures.start({
        port: 0,
        bind: '127.0.0.1',
        record: { path: path.join(home, 'soak.pcapng'), rotateBytes: 64 * 1024 * 1024, ring: 2 },
      });
      loads.push(watchCaptures(api));
      if (withLoad) {
        loads.push(await streamTerminals(api, home), ingestHistory(api, home));
        if (engine) loads.push(churnEngine(api, engine));
      }
      // Stalls until here are the services loading, reported apart from the run's.
      const startupStall = await host.loopDelay();
      const send = sendTzsp(started.port!);
      sender.child = send.child;
      let finished = false;
      send.done.then(
        () => (finished = true),
        () => (finished = true),
      );
      const loadStart = performance.now();
      const cpuAtStart = cpuSeconds(host.pid);
      const ptyHost = helperOf(host.pid, 'pty-host');
      const ptyCpuAtStart = ptyHost === null ? 0 : cpuSeconds(ptyHost);
      const receiver = helperOf(host.pid, 'captures-receiver');
      const receiverCpuAtStart = receiver === null ? 0 : cpuSeconds(receiver);
      const clientCpuAtStart = process.cpuUsage();
      let rssBefore: number | null = null;
      let receiverRssBefore: number | null = null;
      let warmedAt = 0;
      const stalls: LoopDelayReport[] = [];
      const rssTimeline: number[] = [];
      // One delay report (and RSS sample) per window, so a stall can be placed in time.
      while (!finished) {
        await Promise.race([sleep(stallWindowMs), send.done]);
        stalls.push(await host.loopDelay());
        rssTimeline.push(host.rssMb());
        if (rssBefore === null && performance.now() - loadStart >= warmupSeconds * 1000) {
          rssBefore = host.rssMb();
          receiverRssBefore = receiver === null ? null : rssMbOf(receiver);
          warmedAt = stalls.length - 1;
        }
      }
      const { sent, seconds: sendSeconds, slipped: sendSlipped } = await send.done;
      const rssAfter = host.rssMb();
      const receiverRssAfter = receiver === null ? null : rssMbOf(receiver);
      const loadSeconds = (performance.now() - loadStart) / 1000;
      const ownCpuSeconds = cpuSeconds(host.pid) - cpuAtStart;
      const receiverCpuSeconds = receiver === null ? null : cpuSeconds(receiver) - receiverCpuAtStart;
      const hostCpuSeconds = ownCpuSeconds + (receiverCpuSeconds ?? 0);
      const hostCpuPercent = (100 * ownCpuSeconds) / loadSeconds;
      const receiverCpuPercent = receiverCpuSeconds === null ? null : (100 * receiverCpuSeconds) / loadSeconds;
      const ptyHostCpuPercent = ptyHost === null ? null : (100 * (cpuSeconds(ptyHost) - ptyCpuAtStart)) / loadSeconds;
      const clientCpu = process.cpuUsage(clientCpuAtStart);
      const clientCpuPercent = (clientCpu.user + clientCpu.system) / 1e4 / loadSeconds;
      const notes: string[] = [];
      // One at a time out of the list, so a stop that throws leaves the rest to the finally below.
      while (loads.length > 0) notes.push(await loads.shift()!.stop());
      await sleep(drainMs);
      const status = await api.captures.stop({});
      await sleep(settleMs);
      return {
        sent,
        sendSeconds,
        sendSlipped,
        received: status.totals.packets,
        status,
        rssBefore: rssBefore ?? rssAfter,
        rssAfter,
        rssTimeline,
        receiverRss: receiverRssBefore === null || receiverRssAfter === null ? null : [receiverRssBefore, receiverRssAfter],
        hostCpuPercent,
        receiverCpuPercent,
        hostCpuSeconds,
        ptyHostCpuPercent,
        clientCpuPercent,
        loadAverage: loadAverage(),
        rssSettled: host.rssMb(),
        startupStall,
        stalls,
        warmedAt,
        profile: null,
        notes,
        hostLog: host.log(),
      };
    } finally {
      // A run that failed half-way: end what it started (the Engine loop would otherwise go on forever).
      await Promise.allSettled(loads.map((load) => load.stop()));
      if (sender.child) await stopChild(sender.child, () => sender.child!.kill());
      await host.stop();
    }
  });
}

const mbText = (mb: number) => mb.toFixed(1);

/** Where the memory is: each thread's heap (used/total MB) and Node's native side, after warm-up, mid-run, at the end. */
function printMemory(run: Figures): void {
  const last = run.stalls.length - 1;
  const points: [string, number][] = [
    ['after warm-up', run.warmedAt],
    ['mid-run', Math.round((run.warmedAt + last) / 2)],
    ['at the end', last],
  ];
  for (const [when, index] of points) {
    const w = run.stalls[index];
    // An older host bundle (LANYARD_SOAK_HOST_BUNDLE) reports no memory.
    if (!w?.threads) continue;
    const threads = w.threads.map((t) => `${t.thread} ${mbText(t.heapUsedMb)}/${mbText(t.heapTotalMb)}`).join(', ');
    process.stdout.write(
      `  ${when} (${((index + 1) * stallWindowMs) / 1000} s): RSS ${mbText(w.rssMb)}; heaps used/total MB: ${threads}; external ${mbText(w.externalMb)} (Buffers ${mbText(w.arrayBuffersMb)})\n`,
    );
  }
}

/** The longest stall: when, how much of it the host's thread spent running code, and the GC pauses of the run. */
function printStall(run: Figures): void {
  const worst = run.stalls.reduce((a, b, i) => (b.maxMs > run.stalls[a]!.maxMs ? i : a), 0);
  const w = run.stalls[worst];
  if (w?.busyMaxMs === undefined) return;
  process.stdout.write(
    `  the longest stall was in the window ending ${((worst + 1) * stallWindowMs) / 1000} s into the load; in it the host's thread ran code for at most ${w.busyMaxMs.toFixed(0)} ms between two 10 ms ticks (the rest of a stall is waiting: for a core, or in a system call)\n`,
  );
  report("host's thread: most CPU between two 10 ms ticks, whole run", Math.max(...run.stalls.map((s) => s.busyMaxMs)), 'ms');
  const gc = run.stalls.flatMap((s) => s.longGc);
  const gcMs = run.stalls.reduce((sum, s) => sum + s.gcMs, 0);
  process.stdout.write(
    `  GC on the host's thread: ${(gcMs / 1000).toFixed(1)} s in all; pauses ≥ ${longGcMs} ms: ${gc.length === 0 ? 'none' : gc.map((p) => `${p.kind} ${p.ms.toFixed(0)} ms`).join(', ')}\n`,
  );
}

function print(label: string, run: Figures, baselineLost?: number): void {
  const lost = run.sent - run.received;
  const file = run.status.outputs.find((o) => o.kind === 'file');
  process.stdout.write(`\n${label} — load average at its end ${run.loadAverage}\n`);
  report('packets sent', run.sent, 'pkts');
  report(`send rate achieved (aim ${packetsPerSecond / 1000}k; below it the sender lacked CPU)`, run.sent / run.sendSeconds, 'pkt/s');
  report('time the sender was kept off the CPU (its schedule moved on, never made up in a burst)', run.sendSlipped * 1000, 'ms');
  report('packets received (captures status)', run.received, 'pkts');
  report('packets lost', lost, 'pkts');
  report('packets lost, share', (100 * lost) / Math.max(1, run.sent), '%');
  process.stdout.write(
    `  kernel drops ${run.status.totals.kernelDrops ?? 'unknown'}; file output ${file ? `${file.packets} written, ${file.drops} dropped` : 'MISSING'}; ${run.status.sensors.length} sensors (${sensorCount} sent), ${run.status.interfaces.length} pcapng interfaces\n`,
  );
  // RSS here is the host's and its captures receiver's together (one process in builds before the receiver's own).
  report('host + receiver RSS after warm-up ("before")', run.rssBefore, 'MB');
  report('host + receiver RSS at the end of the load ("after")', run.rssAfter, 'MB');
  report('host + receiver RSS growth under load', run.rssAfter - run.rssBefore, 'MB', { below: 20 });
  report('host + receiver RSS peak', Math.max(...run.rssTimeline), 'MB');
  if (run.receiverRss)
    process.stdout.write(
      `  of which the captures receiver's: ${mbText(run.receiverRss[0])} MB before, ${mbText(run.receiverRss[1])} MB after\n`,
    );
  // Every other window: the curve every 10 s (growth that levels off is a cache filling to its cap; a leak does not).
  const every10s = run.rssTimeline.filter((_, i) => i % 2 === 1);
  process.stdout.write(`  host + receiver RSS every 10 s of the load, MB: ${every10s.map((mb) => mb.toFixed(0)).join(' ')}\n`);
  printMemory(run);
  report(`host RSS ${settleMs / 1000} s after the load stopped (the receiver has exited)`, run.rssSettled, 'MB');
  const worst = Math.max(...run.stalls.map((w) => w.maxMs));
  report('longest event-loop stall in the host', worst, 'ms', { below: 100 });
  report(`event-loop delay p99, worst ${stallWindowMs / 1000} s window`, Math.max(...run.stalls.map((w) => w.p99Ms)), 'ms');
  process.stdout.write(
    `  longest stall per ${stallWindowMs / 1000} s window, ms: ${run.stalls.map((w) => w.maxMs.toFixed(0)).join(' ')}\n`,
  );
  printStall(run);
  report('host CPU over the run (its own process, all its threads; 200 % is both cores)', run.hostCpuPercent, '%');
  if (run.receiverCpuPercent !== null) report('captures receiver CPU over the run (its own process)', run.receiverCpuPercent, '%');
  report(
    'host + receiver CPU per packet received (everything they did, over the packets)',
    (1e6 * run.hostCpuSeconds) / Math.max(1, run.received),
    'µs',
  );
  process.stdout.write(
    `  Calls' tap: ${run.status.tap.packets} UDP/TCP packets handed on, ${run.status.tapBehind ?? 'n/a'} not (host too far behind)\n`,
  );
  if (run.ptyHostCpuPercent !== null) report("terminals' pty host CPU over the run (its own process)", run.ptyHostCpuPercent, '%');
  report("the bench's own CPU over the run (clients, Engine churn, spool appends; the host's session)", run.clientCpuPercent, '%');
  report('longest stall while the services loaded (info)', run.startupStall.maxMs, 'ms');
  for (const note of run.notes) process.stdout.write(`  ${note}\n`);
  if (baselineLost !== undefined)
    process.stdout.write(
      `  → ${lost <= baselineLost ? 'loses no more packets than the TZSP stream alone' : `LOSES MORE PACKETS THAN THE TZSP STREAM ALONE (${lost} vs ${baselineLost})`}\n`,
    );
  if (run.profile) process.stdout.write(run.profile);
  if (run.hostLog.length)
    process.stdout.write(
      `  the host logged:\n${run.hostLog
        .slice(0, 10)
        .map((l) => `    ${l}`)
        .join('\n')}\n`,
    );
}

/** The figures the aims judge, one line per run. */
function summary(runs: [string, Figures][]): void {
  process.stdout.write(`\n${hostBundle}\nrun          sent      lost   lost %  stall max ms  RSS growth MB  host+rcv CPU %  µs/packet\n`);
  for (const [label, run] of runs) {
    const lost = run.sent - run.received;
    process.stdout.write(
      `${label.padEnd(11)} ${String(run.sent).padStart(8)} ${String(lost).padStart(8)} ${((100 * lost) / Math.max(1, run.sent)).toFixed(2).padStart(7)} ${Math.max(
        ...run.stalls.map((w) => w.maxMs),
      )
        .toFixed(0)
        .padStart(
          13,
        )} ${(run.rssAfter - run.rssBefore).toFixed(1).padStart(14)} ${(run.hostCpuPercent + (run.receiverCpuPercent ?? 0)).toFixed(0).padStart(15)} ${((1e6 * run.hostCpuSeconds) / Math.max(1, run.received)).toFixed(1).padStart(10)}\n`,
    );
  }
  process.stdout.write('aims: stall < 100 ms, RSS growth < 20 MB, lost (everything) ≤ lost (TZSP alone)\n');
}

if (!existsSync(hostBundle)) throw new Error('out/host.js is missing: npm run bench builds it first');
process.stdout.write(
  `${seconds} s per run (LANYARD_SOAK_SECONDS), warm-up ${warmupSeconds} s; ${packetsPerSecond / 1000}k pkt/s from ${sensorCount} sensors; load average ${loadAverage()} on ${os.cpus().length} CPUs\n`,
);
const engine = dockerPeers() ? await startTestEngine() : null;
if (!engine) process.stdout.write('!! no private dockerd (see the note above): the loaded run has NO Engine churn\n');
// LANYARD_SOAK_ONLY=everything: the loaded run only (for profiling; the aims need both runs).
const loadedOnly = process.env.LANYARD_SOAK_ONLY === 'everything';
try {
  const baseline = loadedOnly ? null : await soak(false, engine);
  const loaded = await soak(true, engine);
  if (baseline) print('TZSP stream alone (baseline)', baseline);
  print(
    `everything at once: TZSP, ${terminalCount} terminals, ${commandsPerSecond} commands/s into history${engine ? ', Engine churn' : ''}`,
    loaded,
    baseline ? baseline.sent - baseline.received : undefined,
  );
  summary([...(baseline ? [['TZSP alone', baseline] as [string, Figures]] : []), ['everything', loaded]]);
} finally {
  await engine?.stop();
}
