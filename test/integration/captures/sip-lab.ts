// A SIP lab on loopback for the HEP tests: Kamailio as a stateless proxy tracing every message it receives and
// sends as HEP (siptrace, trace_mode 1), SIPp user agents behind it for answered, busy (486), cancelled and
// unanswered calls, and dumpcap recording the same traffic on lo. Every process is a child of the test, on
// ports picked free, killed by its own pid.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import dgram from 'node:dgram';
import { findPeer } from '../../support/peers.ts';
import { sipOnAnyPort } from '../calls/tshark-stat.ts';

export const kamailio = findPeer('kamailio', 'apt-get install kamailio kamailio-extra-modules');
export const sipp = findPeer('sipp', 'apt-get install sip-tester');
export const dumpcap = findPeer('dumpcap', 'apt-get install wireshark-common');
const modules = '/usr/lib/x86_64-linux-gnu/kamailio/modules/';

export type CallKind = 'answer' | 'busy' | 'cancel' | 'noanswer';

const handedOut = new Set<number>();

/** A port free for UDP and TCP on 127.0.0.1, never the same twice in one test file. */
export async function freePort(): Promise<number> {
  for (;;) {
    const socket = dgram.createSocket('udp4');
    const port = await new Promise<number>((resolve) => socket.bind(0, '127.0.0.1', () => resolve(socket.address().port)));
    socket.close();
    // HEP also listens on TCP with the same number: take a port free on both.
    const tcpFree = await new Promise<boolean>((resolve) => {
      const server = net.createServer().once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (tcpFree && !handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

export async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether a UDP socket is bound on this port (Linux /proc), so a peer is ready without parsing its log. */
export function udpBound(port: number): boolean {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/udp', 'utf8')
    .split('\n')
    .some((line) => line.trim().split(/\s+/)[1]?.endsWith(hex));
}

export class Processes {
  readonly #children: ChildProcess[] = [];
  start(program: string, args: string[], cwd: string): ChildProcess & { output: () => string } {
    const child = spawn(program, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    this.#children.push(child);
    return Object.assign(child, { output: () => output });
  }
  async stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const closed = new Promise((r) => child.once('close', r));
    child.kill(signal);
    await Promise.race([closed, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  async stopAll(): Promise<void> {
    await Promise.all(this.#children.map((c) => this.stop(c)));
  }
}

export interface LabPorts {
  proxy: number;
  uac: number;
  /** One UAS per kind of call; noanswer's has nobody listening. */
  uas: Record<CallKind, number>;
}

export function kamailioConfig(
  ports: LabPorts,
  hep: { port: number; version: 2 | 3; authKey?: string; transport?: 'udp' | 'tcp' },
): string {
  const route = (Object.keys(ports.uas) as CallKind[])
    .map((kind) => `  if ($rU == "${kind}") $du = "sip:127.0.0.1:${ports.uas[kind]}";`)
    .join('\n');
  return `#!KAMAILIO
debug=2
log_stderror=yes
children=1
listen=udp:127.0.0.1:${ports.proxy}
${hep.transport === 'tcp' ? `listen=tcp:127.0.0.1:${ports.proxy}\n` : 'disable_tcp=yes\n'}auto_aliases=no
mpath="${modules}"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "siptrace.so"
modparam("siptrace", "duplicate_uri", "sip:127.0.0.1:${hep.port}${hep.transport === 'tcp' ? ';transport=tcp' : ''}")
modparam("siptrace", "hep_mode_on", 1)
modparam("siptrace", "hep_version", ${hep.version})
modparam("siptrace", "hep_capture_id", 2001)
${hep.authKey ? `modparam("siptrace", "auth_key", "${hep.authKey}")\n` : ''}modparam("siptrace", "trace_to_database", 0)
modparam("siptrace", "trace_on", 1)
modparam("siptrace", "trace_mode", 1)
request_route {
  if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
${route}
  forward();
  exit;
}
onreply_route {
  return;
}
`;
}

const headers = (method: string, cseq: string) => `${method} sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: [service] <sip:[service]@[remote_ip]:[remote_port]>${method === 'INVITE' || method === 'CANCEL' ? '' : '[peer_tag_param]'}
Call-ID: [call_id]
CSeq: ${cseq}
Contact: sip:sipp@[local_ip]:[local_port]
Max-Forwards: 70
Content-Length: 0
`;

const reply = (status: string, cseq = '[last_CSeq:]') => `SIP/2.0 ${status}
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
${cseq}
Contact: <sip:[local_ip]:[local_port]>
Content-Length: 0
`;

const send = (text: string, retrans = false) => `  <send${retrans ? ' retrans="500"' : ''}><![CDATA[\n${text}\n]]></send>`;
const scenario = (name: string, steps: string[]) =>
  `<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="${name}">\n${steps.join('\n')}\n</scenario>\n`;

/** SIPp scenario files for the calls SIPp has no built-in scenario for; returns their paths. */
export function writeScenarios(dir: string): Record<'busyUac' | 'busyUas' | 'cancelUac' | 'cancelUas' | 'noanswerUac', string> {
  const files = {
    busyUac: scenario('busy uac', [send(headers('INVITE', '1 INVITE'), true), '  <recv response="486"/>', send(headers('ACK', '1 ACK'))]),
    busyUas: scenario('busy uas', ['  <recv request="INVITE"/>', send(reply('486 Busy Here')), '  <recv request="ACK"/>']),
    cancelUac: scenario('cancel uac', [
      send(headers('INVITE', '1 INVITE'), true),
      '  <recv response="180"/>',
      send(headers('CANCEL', '1 CANCEL'), true),
      '  <recv response="200"/>',
      '  <recv response="487"/>',
      send(headers('ACK', '1 ACK')),
    ]),
    cancelUas: scenario('cancel uas', [
      '  <recv request="INVITE"/>',
      send(reply('180 Ringing')),
      '  <recv request="CANCEL"/>',
      send(reply('200 OK')),
      send(reply('487 Request Terminated', 'CSeq: 1 INVITE')),
      '  <recv request="ACK"/>',
    ]),
    // Nobody answers: SIPp retransmits the INVITE, then gives up (the call ends as unanswered).
    noanswerUac: scenario('noanswer uac', [
      send(headers('INVITE', '1 INVITE'), true),
      '  <recv response="180" timeout="1800" ontimeout="1"/>',
      '  <label id="1"/>',
    ]),
  };
  const paths = {} as Record<keyof typeof files, string>;
  for (const [key, text] of Object.entries(files)) {
    const file = path.join(dir, `${key}.xml`);
    writeFileSync(file, text);
    paths[key as keyof typeof files] = file;
  }
  return paths;
}

export interface WireSip {
  ts: number;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  firstLine: string;
  callId: string;
  cseq: string;
}

/** tshark's view of the SIP messages in a capture (decoding udp.port==N as HEP when asked). */
export function tsharkSip(tshark: string, file: string): WireSip[] {
  const out = execFileSync(
    tshark,
    [
      '-r',
      file,
      ...sipOnAnyPort,
      '-Y',
      'sip',
      '-T',
      'fields',
      '-E',
      'separator=\t',
      ...[
        'frame.time_epoch',
        'ip.src',
        'udp.srcport',
        'ip.dst',
        'udp.dstport',
        'sip.Request-Line',
        'sip.Status-Line',
        'sip.Call-ID',
        'sip.CSeq',
      ].flatMap((f) => ['-e', f]),
    ],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [ts, src, sport, dst, dport, request, status, callId, cseq] = line.split('\t');
      return {
        ts: Number(ts),
        src: src!,
        sport: Number(sport),
        dst: dst!,
        dport: Number(dport),
        firstLine: request || status!,
        callId: callId!,
        cseq: cseq!,
      };
    });
}

/** The same fields read from a SIP payload, the way a test sink sees it. */
export function sipFields(payload: Buffer): Pick<WireSip, 'firstLine' | 'callId' | 'cseq'> {
  const text = payload.toString('latin1');
  const header = (name: string) => new RegExp(`\r\n${name}:[ \t]*([^\r\n]*)`, 'i').exec(text)?.[1] ?? '';
  return { firstLine: text.slice(0, text.indexOf('\r\n')), callId: header('Call-ID'), cseq: header('CSeq') };
}

/** `tshark -z sip,stat` without its setup-time lines (those depend on when each side stamped the packets). */
export function sipStat(tshark: string, file: string): string {
  const out = execFileSync(tshark, ['-r', file, ...sipOnAnyPort, '-q', '-z', 'sip,stat'], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => !/setup time|^\s*(Min|Max) \d/.test(line))
    .join('\n');
}
