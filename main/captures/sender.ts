// `lanyard tzsp send`: replay a pcap/pcapng as TZSP, the way MikroTik and Scratch'n'Sniff send it.
import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { readCaptureFile, type FilePacket } from './capture-file.ts';
import { buildTzsp, encapsulationOfLinktype, ethernetHeader, tzspDefaultPort } from './tzsp.ts';

export interface SendOptions {
  file: string;
  host: string;
  port: number;
  /** Packets per second; as fast as the socket takes them when absent. */
  rate?: number;
  loop?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: SendProgress) => void;
}

export interface SendProgress {
  sent: number;
  bytes: number;
  /** Frames whose link type has no TZSP encapsulation. */
  skipped: number;
  skippedLinktypes: number[];
}

/** "host", "host:port", "[v6]:port" or a bare IPv6 literal. */
export function parseTarget(target: string, defaultPort = tzspDefaultPort): { host: string; port: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(target);
  if (bracketed) return { host: bracketed[1]!, port: toPort(bracketed[2], defaultPort) };
  if (net.isIPv6(target)) return { host: target, port: defaultPort };
  const colon = target.lastIndexOf(':');
  if (colon < 0) return { host: target, port: defaultPort };
  return { host: target.slice(0, colon), port: toPort(target.slice(colon + 1), defaultPort) };
}

function toPort(value: string | undefined, defaultPort: number): number {
  if (value === undefined) return defaultPort;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`"${value}" is not a UDP port`);
  return port;
}

/** A frame as TZSP: Ethernet exactly as MikroTik sends it, others with their encapsulation. */
export function toTzsp(packet: FilePacket): Buffer | null {
  if (packet.linktype === 1) return Buffer.concat([ethernetHeader, packet.data]);
  const encapsulation = encapsulationOfLinktype.get(packet.linktype);
  if (encapsulation === undefined) return null;
  return buildTzsp(packet.data, {
    encapsulation,
    ...(packet.originalLength > packet.data.length ? { originalLength: Math.min(packet.originalLength, 65535) } : {}),
  });
}

export async function sendCapture(options: SendOptions): Promise<SendProgress> {
  const { address, family } = await lookup(options.host);
  const socket = dgram.createSocket(family === 6 ? 'udp6' : 'udp4');
  // Not connect()ed: a connected UDP socket fails its next send after an ICMP port-unreachable, and a
  // sensor streaming to a workstation whose listener is not up yet must keep sending regardless.
  socket.on('error', () => undefined);
  const progress: SendProgress = { sent: 0, bytes: 0, skipped: 0, skippedLinktypes: [] };
  const started = performance.now();
  let lastReport = started;
  try {
    do {
      for (const packet of readCaptureFile(options.file)) {
        if (options.signal?.aborted) return progress;
        const datagram = toTzsp(packet);
        if (!datagram) {
          progress.skipped++;
          if (!progress.skippedLinktypes.includes(packet.linktype)) progress.skippedLinktypes.push(packet.linktype);
          continue;
        }
        await pace(progress.sent, started, options.rate);
        socket.send(datagram, options.port, address);
        progress.sent++;
        progress.bytes += datagram.length;
        if (progress.sent % 256 === 0) {
          await new Promise((r) => setImmediate(r)); // let the socket drain its queue
          const now = performance.now();
          if (options.onProgress && now - lastReport > 1000) {
            lastReport = now;
            options.onProgress({ ...progress });
          }
        }
      }
    } while (options.loop && progress.sent > 0 && !options.signal?.aborted);
    await new Promise((r) => setImmediate(r));
    return progress;
  } finally {
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}

/** Wait until packet number `sent` is due at `rate` per second. */
async function pace(sent: number, started: number, rate: number | undefined): Promise<void> {
  if (!rate) return;
  const due = started + (sent / rate) * 1000;
  const wait = due - performance.now();
  if (wait > 1) await new Promise((r) => setTimeout(r, wait));
}
