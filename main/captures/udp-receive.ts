// A bound UDP socket that hands each datagram with its sender to one handler, on one of two paths: the batch
// addon (out/udp-batch.node, Linux recvmmsg: up to 64 datagrams per system call and per JS call, no allocation
// per datagram but a view) or Node's dgram (one Buffer, one address object and one callback per datagram).
// LANYARD_UDP_RECEIVE=dgram|batch forces one; by default batch when the addon loads.
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AddressNames } from './ip-packet.ts';

export type UdpReceivePath = 'batch' | 'dgram';

/**
 * `datagram` and its bytes are valid during the call only (the batch path reuses its buffer): copy what is kept.
 * `kernelSec`/`kernelNsec`: the kernel's receive time, 0/0 when there is none (the dgram path).
 */
export type DatagramHandler = (datagram: Buffer, address: string, kernelSec: number, kernelNsec: number) => void;

export interface UdpReceiveOptions {
  bind: string;
  port: number;
  receiveBufferBytes: number;
  /** Which path; by default LANYARD_UDP_RECEIVE, else batch when the addon loads. */
  path?: UdpReceivePath;
}

export interface UdpReceiveSocket {
  readonly path: UdpReceivePath;
  readonly address: { address: string; port: number };
  /** What the kernel granted (Linux reports twice the SO_RCVBUF asked, its bookkeeping included). */
  readonly receiveBufferBytes: number;
  /** Datagrams the batch path could not hand on whole (none expected: its slots hold UDP's largest). */
  readonly truncated: number;
  close(): Promise<void>;
}

interface Batch {
  handle: object;
  data: ArrayBuffer;
  meta: ArrayBuffer;
}

interface UdpBatchAddon {
  open(address: string, port: number, receiveBufferBytes: number, onBatch: (count: number) => void): Batch;
  info(handle: object): [number, number];
  close(handle: object): void;
  slotBytes: number;
  metaStride: number;
}

let loaded: { addon: UdpBatchAddon | null; why: string } | null = null;

/** The addon when it was built and loads here, else why not (one line). */
function udpBatchAddon(): { addon: UdpBatchAddon | null; why: string } {
  if (loaded) return loaded;
  if (process.platform !== 'linux') return (loaded = { addon: null, why: 'recvmmsg batches are Linux only' });
  // Beside the bundle (out/, or out/chunks/), or out/ of the checkout when running from source.
  const here = path.dirname(fileURLToPath(import.meta.url));
  const file = [here, path.join(here, '..'), path.join(here, '..', '..', 'out')]
    .map((dir) => path.join(dir, 'udp-batch.node'))
    .find((f) => existsSync(f));
  if (!file) return (loaded = { addon: null, why: 'out/udp-batch.node is not built (npm run build; needs g++ make python3)' });
  try {
    return (loaded = { addon: createRequire(import.meta.url)(file) as UdpBatchAddon, why: file });
  } catch (error) {
    return (loaded = { addon: null, why: `out/udp-batch.node does not load: ${(error as Error).message.split('\n')[0]}` });
  }
}

/** The path a socket opened now would take, and why (for Doctor and the listener's status). */
export function udpReceivePath(env: NodeJS.ProcessEnv = process.env): { path: UdpReceivePath; why: string } {
  const forced = env.LANYARD_UDP_RECEIVE;
  if (forced === 'dgram') return { path: 'dgram', why: 'LANYARD_UDP_RECEIVE=dgram' };
  const { addon, why } = udpBatchAddon();
  if (addon) return { path: 'batch', why: `recvmmsg, 64 datagrams per call (${path.basename(why)})` };
  if (forced === 'batch') throw new Error(`LANYARD_UDP_RECEIVE=batch, but ${why}`);
  return { path: 'dgram', why };
}

export async function openUdpReceive(options: UdpReceiveOptions, onDatagram: DatagramHandler): Promise<UdpReceiveSocket> {
  if (!net.isIP(options.bind)) throw new Error(`--bind needs an IPv4 or IPv6 address, not "${options.bind}"`);
  // A scoped IPv6 address (fe80::1%eth0) names its interface: dgram resolves it, the addon does not.
  const chosen = options.bind.includes('%') ? 'dgram' : (options.path ?? udpReceivePath().path);
  if (chosen === 'batch') {
    const { addon, why } = udpBatchAddon();
    if (!addon) throw new Error(`The batch UDP receive is not available: ${why}`);
    return openBatch(addon, options, onDatagram);
  }
  return openDgram(options, onDatagram);
}

async function openDgram(options: UdpReceiveOptions, onDatagram: DatagramHandler): Promise<UdpReceiveSocket> {
  const socket = dgram.createSocket({ type: net.isIPv6(options.bind) ? 'udp6' : 'udp4', recvBufferSize: options.receiveBufferBytes });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ port: options.port, address: options.bind, exclusive: true }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  socket.on('message', (datagram, remote) => onDatagram(datagram, remote.address, 0, 0));
  socket.on('error', () => undefined); // ICMP errors on a connectionless socket: nothing to do
  // A listener left running must not keep a host from exiting (serve, the app); `lanyard tzsp listen` holds itself up.
  socket.unref();
  return {
    path: 'dgram',
    address: socket.address(),
    receiveBufferBytes: socket.getRecvBufferSize(),
    truncated: 0,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** Sender addresses as text, by their bytes: made once per sender, not per datagram (the oldest forgotten first). */
const maxCachedAddresses = 4096;

/**
 * Reads one batch at a time for the handler. Its own object, so that the callback the addon holds strongly does not
 * reach the socket's handle: a socket dropped without close() is then collected, and the addon's finalizer closes it.
 */
class BatchReader {
  readonly #onDatagram: DatagramHandler;
  readonly #stride: number;
  readonly #slotBytes: number;
  readonly #senders = new AddressNames(maxCachedAddresses);
  #data: Buffer = Buffer.alloc(0);
  #meta = new Uint32Array(0);
  #metaBytes: Buffer = Buffer.alloc(0);
  truncated = 0;

  constructor(addon: UdpBatchAddon, onDatagram: DatagramHandler) {
    this.#onDatagram = onDatagram;
    this.#stride = addon.metaStride;
    this.#slotBytes = addon.slotBytes;
  }

  attach(batch: Batch): void {
    this.#data = Buffer.from(batch.data);
    this.#meta = new Uint32Array(batch.meta);
    this.#metaBytes = Buffer.from(batch.meta);
  }

  readonly onBatch = (count: number): void => {
    const meta = this.#meta;
    const slotBytes = this.#slotBytes;
    for (let i = 0; i < count; i++) {
      const at = i * this.#stride;
      // Cannot happen with 64 KiB slots (over UDP's largest payload); if it does, it is not what was sent: counted.
      if (meta[at + 1] !== 0) {
        this.truncated++;
        continue;
      }
      const length = Math.min(meta[at]!, slotBytes);
      this.#onDatagram(this.#data.subarray(i * slotBytes, i * slotBytes + length), this.#address(at), meta[at + 4]!, meta[at + 5]!);
    }
  };

  #address(at: number): string {
    const family = this.#meta[at + 2];
    if (family === 4) return this.#senders.ipv4(this.#metaBytes, (at + 6) * 4);
    return family === 6 ? this.#senders.ipv6(this.#metaBytes, (at + 6) * 4) : '?';
  }
}

function openBatch(addon: UdpBatchAddon, options: UdpReceiveOptions, onDatagram: DatagramHandler): UdpReceiveSocket {
  const reader = new BatchReader(addon, onDatagram);
  const batch = addon.open(options.bind, options.port, options.receiveBufferBytes, reader.onBatch);
  reader.attach(batch);
  const [port, receiveBufferBytes] = addon.info(batch.handle);
  return {
    path: 'batch',
    address: { address: options.bind, port },
    receiveBufferBytes,
    get truncated() {
      return reader.truncated;
    },
    close: async () => addon.close(batch.handle),
  };
}
