// `lanyard tzsp listen|send|decap|install-extcap|extcap`: the TZSP receiver from the command line.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CaptureStatus } from '../contract.ts';
import { splitAllow } from '../allow-list.ts';
import { installExtcap } from '../extcap.ts';
import { defaultReceiveBuffer } from '../receiver.ts';
import { bold, dim, green, yellow } from '../../system/terminal-style.ts';
import {
  parseOptions,
  parsePort,
  UsageError,
  type CommandContext,
  type CommandHost,
  type CommandModule,
} from '../../system/command-line.ts';
import { runExtcap } from './tzsp-extcap.ts';

const subcommands: Record<string, (args: string[], context: CommandContext) => Promise<number>> = {
  listen: (args, context) => listen(args, context, 'tzsp'),
  send,
  decap,
  'install-extcap': installExtcapCommand,
  extcap: runExtcap,
};

export const run: CommandModule['run'] = async (args, context) => {
  const [sub, ...rest] = args;
  const handler = sub ? subcommands[sub] : undefined;
  if (!handler)
    throw new UsageError(
      sub
        ? `unknown tzsp command "${sub}" (listen, send, decap, install-extcap)`
        : 'tzsp needs a command: listen, send, decap or install-extcap',
    );
  return handler(rest, context);
};

/** "1500000", "500k", "100M", "2G" (powers of 1000, as dumpcap's filesize is in kB). */
export function parseSize(value: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kKmMgG]?)[bB]?$/.exec(value.trim());
  if (!m) throw new UsageError(`${flag} needs a size like 500k, 100M or 2G, not "${value}"`);
  const scale = { '': 1, k: 1e3, m: 1e6, g: 1e9 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.round(Number(m[1]) * scale);
}

export function parseCount(value: string | undefined, flag: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new UsageError(`${flag} needs a number ≥ ${min}, not "${value}"`);
  return n;
}

function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const done = (signal: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(signal);
    };
    const onInt = () => done('SIGINT');
    const onTerm = () => done('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
}

const say = (line: string) => process.stderr.write(`${line}\n`);

/**
 * The auth key for forwarding: the first line of a file, else $LANYARD_HEP_FORWARD_KEY. Never an argument: a
 * listener runs for hours, and its arguments are readable by every user through `ps`.
 */
function forwardKey(file: string | undefined): string | undefined {
  let key = process.env.LANYARD_HEP_FORWARD_KEY;
  if (file !== undefined) {
    try {
      key = readFileSync(file, 'latin1').split(/\r?\n/, 1)[0];
    } catch (error) {
      throw new UsageError(`--hep-forward-key-file: cannot read ${file} (${(error as Error).message})`);
    }
  }
  if (key === undefined || key === '') return undefined;
  if (key.length > 255) throw new UsageError('the HEP forward key is longer than 255 characters');
  return key;
}

/** `lanyard tzsp listen` (TZSP, and HEP too with --hep PORT) and `lanyard hep listen` (HEP only). */
export async function listen(args: string[], context: CommandContext, source: 'tzsp' | 'hep' = 'tzsp'): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    port: { type: 'string' },
    bind: { type: 'string' },
    allow: { type: 'string', multiple: true },
    hep: { type: 'string' },
    'hep-bind': { type: 'string' },
    password: { type: 'string' },
    'hep-forward': { type: 'string' },
    'hep-forward-key-file': { type: 'string' },
    stdout: { type: 'boolean' },
    write: { type: 'string', short: 'w' },
    'rotate-size': { type: 'string' },
    'rotate-seconds': { type: 'string' },
    ring: { type: 'string' },
    wireshark: { type: 'boolean' },
    tcp: { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
  });
  if (positionals.length > 0) throw new UsageError(`listen takes no arguments (got "${positionals.join(' ')}")`);
  const rotateBytes = values['rotate-size'] !== undefined ? parseSize(values['rotate-size'], '--rotate-size') : undefined;
  const rotateSeconds = parseCount(values['rotate-seconds'], '--rotate-seconds');
  const ring = parseCount(values.ring, '--ring');
  if (!values.write && (rotateBytes !== undefined || rotateSeconds !== undefined || ring !== undefined))
    throw new UsageError('--rotate-size, --rotate-seconds and --ring need --write FILE.pcapng');
  if (ring !== undefined && rotateBytes === undefined && rotateSeconds === undefined)
    throw new UsageError('--ring needs --rotate-size or --rotate-seconds');
  if (values.stdout && process.stdout.isTTY)
    throw new UsageError(`--stdout writes binary pcapng: pipe it, e.g. \`lanyard ${source} listen --stdout | wireshark -k -i -\``);
  if (source === 'hep' && (values.hep !== undefined || values['hep-bind'] !== undefined || values.allow !== undefined))
    throw new UsageError('hep listen takes --port, --bind and --password for HEP (--hep, --hep-bind and --allow are for tzsp listen)');
  if (source === 'tzsp' && values.hep === undefined && (values.password !== undefined || values['hep-bind'] !== undefined))
    throw new UsageError('--password and --hep-bind need --hep PORT');
  const hepForwardKey = forwardKey(values['hep-forward-key-file']);
  if (hepForwardKey && !values['hep-forward'])
    throw new UsageError('--hep-forward-key-file (or LANYARD_HEP_FORWARD_KEY) needs --hep-forward HOST[:PORT]');
  const hep =
    source === 'hep'
      ? { port: parsePort(values.port, 9060), bind: values.bind ?? '0.0.0.0' }
      : values.hep !== undefined
        ? { port: parsePort(values.hep, 9060), bind: values['hep-bind'] ?? values.bind ?? '0.0.0.0' }
        : undefined;

  const session = await context.startHost();
  const { api } = session;
  const keepAlive = setInterval(() => undefined, 60_000); // the UDP socket does not hold the process up
  const status = await api.captures.start({
    port: source === 'tzsp' ? parsePort(values.port, 37008) : 37008,
    bind: source === 'tzsp' ? (values.bind ?? '0.0.0.0') : '0.0.0.0',
    allow: splitAllow(values.allow),
    tzsp: source === 'tzsp',
    ...(hep ? { hep: { ...hep, ...(values.password ? { password: values.password } : {}) } } : {}),
    ...(values['hep-forward'] ? { hepForward: values['hep-forward'] } : {}),
    ...(hepForwardKey ? { hepForwardKey } : {}),
    ...(values.stdout ? { stdout: true } : {}),
    ...(values.write
      ? {
          record: {
            path: path.resolve(values.write),
            ...(rotateBytes !== undefined ? { rotateBytes } : {}),
            ...(rotateSeconds !== undefined ? { rotateSeconds } : {}),
            ...(ring !== undefined ? { ring } : {}),
          },
        }
      : {}),
  });
  if (source === 'tzsp')
    say(
      `${bold('Lanyard TZSP')} listening on ${formatAddress(status.address, status.port)} ${dim(`(receive buffer ${Math.round(status.receiveBufferBytes / 1024)} KiB, ${status.receivePath === 'batch' ? 'recvmmsg batches' : 'Node dgram'}${status.settings?.allow.length ? `, allowing ${status.settings.allow.join(', ')}` : ''})`)}`,
    );
  if (status.hep)
    say(
      `${bold('Lanyard HEP')} listening on ${formatAddress(status.hep.address, status.hep.port)} (UDP and TCP)${values.password ? dim(' (auth key required)') : ''}`,
    );
  if (status.forward) say(`forwarding SIP and RTCP as HEPv3 to ${status.forward.target}${hepForwardKey ? dim(' (with an auth key)') : ''}`);
  if (source === 'tzsp' && process.platform === 'linux' && status.receiveBufferBytes < defaultReceiveBuffer) {
    say(
      dim(
        `The kernel capped the receive buffer (net.core.rmem_max). For bursts above ~50k packets/s: sudo sysctl -w net.core.rmem_max=${defaultReceiveBuffer}`,
      ),
    );
  }
  if (values.write) say(`recording to ${path.resolve(values.write)}${rotateBytes || rotateSeconds ? ' with rotation' : ''}`);
  try {
    if (values.tcp !== undefined) {
      const served = await api.captures.serveTcp({ port: parsePort(values.tcp, 0) });
      say(`serving the live stream: wireshark -k -i TCP@127.0.0.1:${served.port}`);
      say(
        yellow(
          `TCP@ has no password: any program on this machine can connect to 127.0.0.1:${served.port} and read the capture. One reader at a time; stop with Ctrl+C when done.`,
        ),
      );
    }
    if (values.wireshark) {
      const launched = await api.captures.openWireshark({ via: 'auto' });
      say(`started ${launched.command.join(' ')}`);
    }
  } catch (error) {
    await api.captures.stop({});
    clearInterval(keepAlive);
    throw error;
  }
  say(dim('Ctrl+C stops and prints a summary.'));
  const ticker = values.quiet ? null : startTicker(session);
  const signal = await untilSignal();
  if (ticker) clearInterval(ticker);
  const final = await api.captures.stop({});
  clearInterval(keepAlive);
  if (process.stderr.isTTY && ticker) process.stderr.write('\r\u001b[K');
  say(`stopped on ${signal}.`);
  process.stderr.write(formatSummary(final));
  await session.close();
  return 0;
}

function startTicker(session: CommandHost): NodeJS.Timeout {
  return setInterval(() => {
    void session.api.captures.status({}).then((s) => {
      const rate = s.sensors.reduce((n, x) => n + x.packetsPerSecond, 0);
      const drops = s.outputs.reduce((n, o) => n + o.drops, 0);
      const hep = s.hep ? ` · HEP ${s.hep.totals.messages} messages, ${hepDrops(s.hep.totals)} dropped` : '';
      const line = `${s.sensorCount} sensor${s.sensorCount === 1 ? '' : 's'} · ${s.totals.packets} packets · ${Math.round(rate)} pkt/s · ${s.totals.malformed} malformed · ${drops} output drops${s.totals.tooManySensors ? ` · ${s.totals.tooManySensors} too many sensors` : ''}${hep}`;
      if (process.stderr.isTTY) process.stderr.write(`\r\u001b[K${dim(line)}`);
    });
  }, 1000);
}

function formatAddress(address: string | null, port: number | null): string {
  if (!address) return '?';
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

const summarySensors = 20;

function hepDrops(h: NonNullable<CaptureStatus['hep']>['totals']): number {
  return h.received - h.messages;
}

export function formatSummary(s: CaptureStatus): string {
  const lines = [bold('Summary')];
  const t = s.totals;
  lines.push(
    `  ${t.packets} packets from ${s.sensorCount} sensor${s.sensorCount === 1 ? '' : 's'} · ${t.datagrams} datagrams · ${t.malformed} malformed · ${t.control} keepalive/control · ${t.denied} denied` +
      (t.kernelDrops !== null ? ` · ${t.kernelDrops} dropped by the kernel` : ''),
  );
  if (s.hep) {
    const h = s.hep.totals;
    lines.push(
      `  HEP: ${h.messages} messages of ${h.received} received · ${h.authFailed} wrong or missing auth key · ${h.malformed} malformed · ${h.unsupported} not HEP · ${h.noPayload} without payload · ${h.keepalive} keepalive · ${h.compressedTooLarge} compressed past 64 KiB · ${h.tooLarge} too large for a frame · TCP ${h.connections} connections (${h.connectionsRefused} refused, ${h.connectionsBroken} broken)`,
    );
  }
  if (s.forward)
    lines.push(
      `  HEP forward to ${s.forward.target}: ${s.forward.sent} sent (${s.forward.rtcp} RTCP) · ${s.forward.backlog} dropped (backlog) · ${s.forward.failed} failed`,
    );
  const sctp = s.tap.sctp;
  if (sctp.packets > 0)
    lines.push(
      `  SCTP (for Calls): ${sctp.messages} messages from ${sctp.packets} packets · ${sctp.malformed} malformed · ${sctp.chunksSkipped} past the chunk cap · ${sctp.fragmentsDropped} fragments dropped`,
    );
  if (t.tooManySensors + t.evictedSensors > 0)
    lines.push(
      `  ${yellow('•')} too many sensors: ${t.tooManySensors} datagrams charged to …overflow rows, ${t.evictedSensors} idle sensors evicted`,
    );
  // The busiest sensors only: a flood of names must not become a flood of lines.
  const shown = [...s.sensors].sort((a, b) => b.packets - a.packets).slice(0, summarySensors);
  for (const sensor of shown) {
    const warn = sensor.malformed + sensor.gaps > 0 ? yellow : green;
    lines.push(
      `  ${warn('•')} ${sensor.id.padEnd(24)} ${String(sensor.packets).padStart(9)} pkts ${String(sensor.bytes).padStart(12)} B  malformed ${sensor.malformed}  gaps ${sensor.gaps}${sensor.unknownEncapsulations.length ? `  unknown encapsulations ${sensor.unknownEncapsulations.join(',')}` : ''}`,
    );
  }
  if (s.sensorCount > shown.length) lines.push(dim(`  … and ${s.sensorCount - shown.length} more sensors`));
  for (const o of s.outputs) {
    lines.push(
      `  → ${o.kind} ${o.label}: ${o.packets} packets, ${o.bytes} bytes, ${o.drops} dropped${o.files.length > 1 ? `, ${o.files.length} files` : ''}${o.error ? ` (${o.error})` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

async function send(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    pcap: { type: 'string' },
    to: { type: 'string' },
    rate: { type: 'string' },
    loop: { type: 'boolean' },
  });
  const file = values.pcap ?? positionals[0];
  if (!file || !values.to) throw new UsageError('send needs --pcap FILE and --to HOST[:PORT]');
  const rate = parseCount(values.rate, '--rate', 0.001);
  const host = await context.startHost();
  const { api } = host;
  const stop = new AbortController();
  let lastLine = '';
  const result = await new Promise<number>((resolve) => {
    const unsubscribe = api.captures.send(
      { file: path.resolve(file), to: values.to!, loop: values.loop ?? false, ...(rate !== undefined ? { rate } : {}) },
      {
        next: (p) => {
          lastLine = `sent ${p.sent} packets (${p.bytes} bytes) to ${values.to}${p.skipped ? `, skipped ${p.skipped} with no TZSP encapsulation (link types ${p.skippedLinktypes.join(', ')})` : ''}`;
          if (p.done) say(lastLine);
          else if (process.stderr.isTTY) process.stderr.write(`\r\u001b[K${dim(lastLine)}`);
        },
        error: (e) => {
          say(`lanyard: ${e.message}`);
          resolve(1);
        },
        complete: () => resolve(0),
      },
    );
    stop.signal.addEventListener('abort', () => {
      unsubscribe();
      if (process.stderr.isTTY) process.stderr.write('\r\u001b[K');
      say(lastLine ? `${lastLine} (stopped)` : 'stopped');
      resolve(0);
    });
    void untilSignal().then(() => stop.abort());
  });
  await host.close();
  return result;
}

async function decap(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseOptions(args, { port: { type: 'string' } });
  const [input, output] = positionals;
  if (!input || !output || positionals.length > 2) throw new UsageError('usage: lanyard tzsp decap IN.pcap[ng] OUT.pcapng [--port 37008]');
  const { api } = await context.startHost();
  const r = await api.captures.decap({ input: path.resolve(input), output: path.resolve(output), port: parsePort(values.port, 37008) });
  process.stdout.write(
    `${r.packets} frames from ${new Set(r.interfaces.map((i) => i.sensor)).size} sensor(s) written to ${output}; ${r.skipped} other packets skipped, ${r.malformed} malformed, ${r.fragments} IP fragments left incomplete${r.fragmentsDropped ? `, ${r.fragmentsDropped} overlapping or oversized fragments dropped` : ''}\n`,
  );
  for (const i of r.interfaces) process.stdout.write(`  interface ${i.id}: ${i.name} (link type ${i.linktype})\n`);
  return 0;
}

async function installExtcapCommand(args: string[], context: CommandContext): Promise<number> {
  const { positionals } = parseOptions(args, {});
  if (positionals.length > 0) throw new UsageError('install-extcap takes no arguments');
  const installed = await installExtcap(process.execPath, path.join(context.outDir, 'cli.js'));
  process.stdout.write(`${green('✓')} installed ${installed.launcher}\n`);
  process.stdout.write(
    dim(
      `  folder from ${installed.source}${installed.wiresharkVersion ? ` (Wireshark ${installed.wiresharkVersion})` : ''}; runs ${process.execPath}\n`,
    ),
  );
  process.stdout.write(
    '"Lanyard TZSP receiver" now appears in Wireshark\'s and tshark\'s interface list (tshark -D). Restart Wireshark if it is open.\n',
  );
  return 0;
}
