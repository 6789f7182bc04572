// The UDP side: one socket (IPv4 or IPv6), a big receive buffer, the allow-list, and per-sensor counters.
// Each captured frame is handed on with its sensor and a time stamp (the sender's, else arrival).
import type { CaptureStatus } from './contract.ts';
import { parseAllowList, unmapped, type AllowCheck } from './allow-list.ts';
import { kernelUdpDrops } from './kernel-drops.ts';
import { SensorTable, type SensorLimits, type SensorStats } from './sensors.ts';
import { parseTzsp, tzspDefaultPort, unknownEncapsulationLinktype, type TzspFrame } from './tzsp.ts';
import { openUdpReceive, type UdpReceivePath, type UdpReceiveSocket } from './udp-receive.ts';

export interface ReceiverOptions {
  port?: number;
  /** Address to bind: an IPv4 or IPv6 literal. "::" also receives IPv4 where the OS allows. */
  bind?: string;
  allow?: readonly string[];
  /** Requested SO_RCVBUF; the kernel may grant less (Linux: net.core.rmem_max). */
  receiveBufferBytes?: number;
  sensorLimits?: Partial<SensorLimits>;
  /** Receive path (udp-receive.ts); by default LANYARD_UDP_RECEIVE, else batch when the addon loads. */
  receivePath?: UdpReceivePath;
}

/** Only valid during the call: `tzsp.frame` may be a view into a reused receive buffer. */
export interface ReceivedPacket {
  sensor: string;
  address: string;
  linktype: number;
  tzsp: TzspFrame;
  timestampNs: bigint;
}

export type ReceiverTotals = CaptureStatus['totals'];

export const defaultReceiveBuffer = 32 * 1024 * 1024;

/** Wall-clock nanoseconds with hrtime's resolution (Date.now alone is only milliseconds). */
const clockBase = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
function nowNs(): bigint {
  return clockBase + process.hrtime.bigint();
}

export class TzspReceiver {
  readonly sensors: SensorTable;
  readonly #options: ReceiverOptions;
  readonly #allow: AllowCheck | null;
  readonly #onPacket: (packet: ReceivedPacket) => void;
  #socket: UdpReceiveSocket | null = null;
  #kernelDropsAtStart: number | null = null;
  /** The kernel forgets a socket's drops when it closes: keep the last count. */
  #finalKernelDrops: number | null = null;
  #ticker: NodeJS.Timeout | null = null;
  #totals = { datagrams: 0, packets: 0, malformed: 0, control: 0, denied: 0 };
  address: { address: string; port: number } | null = null;
  receiveBufferBytes = 0;
  receivePath: UdpReceivePath | null = null;
  #truncated = 0;

  constructor(options: ReceiverOptions, onPacket: (packet: ReceivedPacket) => void) {
    this.#options = options;
    this.sensors = new SensorTable(options.sensorLimits);
    this.#allow = parseAllowList(options.allow ?? []);
    this.#onPacket = onPacket;
  }

  async start(): Promise<{ address: string; port: number }> {
    const socket = await openUdpReceive(
      {
        bind: this.#options.bind ?? '0.0.0.0',
        port: this.#options.port ?? tzspDefaultPort,
        receiveBufferBytes: this.#options.receiveBufferBytes ?? defaultReceiveBuffer,
        ...(this.#options.receivePath ? { path: this.#options.receivePath } : {}),
      },
      (datagram, from, sec, nsec) => this.#receive(datagram, from, sec, nsec),
    );
    this.#socket = socket;
    this.receivePath = socket.path;
    this.receiveBufferBytes = socket.receiveBufferBytes;
    this.address = socket.address;
    this.#kernelDropsAtStart = kernelUdpDrops(this.address.port);
    this.sensors.tick(Date.now());
    this.#ticker = setInterval(() => this.sensors.tick(Date.now()), 1000);
    this.#ticker.unref();
    return this.address;
  }

  totals(): ReceiverTotals {
    const malformed = this.#totals.malformed + (this.#socket?.truncated ?? this.#truncated);
    return { ...this.#totals, malformed, kernelDrops: this.#socket ? this.#kernelDrops() : this.#finalKernelDrops, ...this.sensors.totals };
  }

  #kernelDrops(): number | null {
    const drops = this.address ? kernelUdpDrops(this.address.port) : null;
    return drops !== null && this.#kernelDropsAtStart !== null ? drops - this.#kernelDropsAtStart : null;
  }

  /** Every sensor row, or the `limit` most recently seen. */
  sensorStats(limit?: number): SensorStats[] {
    return this.sensors.list(limit);
  }

  async stop(): Promise<void> {
    if (this.#ticker) clearInterval(this.#ticker);
    this.#ticker = null;
    const socket = this.#socket;
    if (socket) {
      this.#finalKernelDrops = this.#kernelDrops();
      this.#truncated = socket.truncated;
    }
    this.#socket = null;
    await socket?.close();
  }

  #receive(datagram: Buffer, from: string, kernelSec: number, kernelNsec: number): void {
    const address = unmapped(from);
    this.#totals.datagrams++;
    if (this.#allow && !this.#allow(address)) {
      this.#totals.denied++;
      return;
    }
    const parsed = parseTzsp(datagram);
    const sensor = this.sensors.record(address, parsed, parsed.kind === 'frame' ? parsed.frame.length : 0, Date.now());
    if (parsed.kind === 'malformed') this.#totals.malformed++;
    else if (parsed.kind === 'control') this.#totals.control++;
    else {
      this.#totals.packets++;
      const timestampNs = parsed.timestamp
        ? BigInt(parsed.timestamp.seconds) * 1_000_000_000n + BigInt(parsed.timestamp.nanoseconds)
        : kernelSec > 0
          ? BigInt(kernelSec) * 1_000_000_000n + BigInt(kernelNsec)
          : nowNs();
      this.#onPacket({ sensor, address, linktype: parsed.linktype ?? unknownEncapsulationLinktype, tzsp: parsed, timestampNs });
    }
  }
}
