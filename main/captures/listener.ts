// A running TZSP listener: the receiver, the live pcapng session and its outputs, the recent-packet ring
// and per-sensor rate history. The captures service and the CLI both drive it.
import type { CaptureStatus, ListenSettings, OutputInfo, OutputKind, PacketSummary } from './contract.ts';
import { summarize } from './packet-summary.ts';
import { PcapngSession, type PcapngOutput } from './pcapng-session.ts';
import { TzspReceiver, type ReceivedPacket } from './receiver.ts';

const recentSize = 1000;
const historySeconds = 60;
/** Sensor and interface rows per status (each push, the stop summary): newest first past this. A row is under
 * 2 KB (a 255-byte name, 60 history points), so a status stays under ~1 MB whatever senders do. */
export const statusRows = 256;

interface RecentPacket {
  seq: number;
  timestampNs: bigint;
  sensor: string;
  linktype: number;
  frame: Buffer;
  originalLength: number;
}

interface OutputEntry {
  id: string;
  kind: OutputKind;
  output: PcapngOutput;
  files: () => string[];
  error: () => string | null;
}

export interface OutputExtras {
  files?: () => string[];
  error?: () => string | null;
}

export class Listener {
  readonly settings: ListenSettings;
  readonly session = new PcapngSession();
  readonly receiver: TzspReceiver;
  readonly startedAt = Date.now();
  readonly #outputs = new Map<string, OutputEntry>();
  readonly #recent: (RecentPacket | undefined)[] = new Array(recentSize);
  readonly #history = new Map<string, number[]>();
  #seq = 0;
  #nextOutput = 1;
  #ticker: NodeJS.Timeout | null = null;

  private constructor(settings: ListenSettings) {
    this.settings = settings;
    this.receiver = new TzspReceiver({ port: settings.port, bind: settings.bind, allow: settings.allow }, (p) => this.#packet(p));
  }

  static async start(settings: ListenSettings): Promise<Listener> {
    const listener = new Listener(settings);
    await listener.receiver.start();
    listener.#ticker = setInterval(() => listener.#sample(), 1000);
    listener.#ticker.unref();
    return listener;
  }

  addOutput(kind: OutputKind, output: PcapngOutput, extras: OutputExtras = {}): OutputInfo {
    const id = `${kind}-${this.#nextOutput++}`;
    const entry: OutputEntry = { id, kind, output, files: extras.files ?? (() => []), error: extras.error ?? (() => null) };
    this.#outputs.set(id, entry);
    this.session.attach(output);
    return this.#info(entry);
  }

  /** Forget an output whose reader went away (Wireshark closed); the listener keeps running. */
  dropOutput(output: PcapngOutput): void {
    for (const [id, entry] of this.#outputs) {
      if (entry.output === output) {
        this.#outputs.delete(id);
        this.session.detach(output);
      }
    }
  }

  async closeOutput(id: string): Promise<OutputInfo | null> {
    const entry = this.#outputs.get(id);
    if (!entry) return null;
    this.session.detach(entry.output);
    await entry.output.close();
    this.#outputs.delete(id);
    return this.#info(entry);
  }

  recent(limit: number, afterSeq = 0): PacketSummary[] {
    const from = Math.max(afterSeq + 1, this.#seq - Math.min(limit, recentSize) + 1, 1);
    const out: PacketSummary[] = [];
    for (let seq = from; seq <= this.#seq; seq++) {
      const p = this.#recent[seq % recentSize];
      if (!p || p.seq !== seq) continue;
      out.push({
        seq,
        time: Number(p.timestampNs / 1_000_000n),
        sensor: p.sensor,
        linktype: p.linktype,
        length: p.originalLength,
        ...summarize(p.linktype, p.frame),
      });
    }
    return out;
  }

  get lastSeq(): number {
    return this.#seq;
  }

  status(running = true): CaptureStatus {
    const address = this.receiver.address;
    return {
      running,
      settings: this.settings,
      address: address?.address ?? null,
      port: address?.port ?? null,
      receiveBufferBytes: this.receiver.receiveBufferBytes,
      startedAt: this.startedAt,
      totals: this.receiver.totals(),
      sensors: this.receiver.sensorStats(statusRows).map((s) => ({ ...s, history: [...(this.#history.get(s.id) ?? [])] })),
      sensorCount: this.receiver.sensors.size,
      outputs: [...this.#outputs.values()].map((e) => this.#info(e)),
      interfaces: this.session
        .interfaces()
        .slice(-statusRows)
        .map((i) => ({ ...i })),
      interfaceCount: this.session.interfaces().length,
    };
  }

  /** Stop receiving, then flush and close every output; returns the final counters. */
  async stop(): Promise<CaptureStatus> {
    if (this.#ticker) clearInterval(this.#ticker);
    await this.receiver.stop();
    const final = this.status(false);
    const entries = [...this.#outputs.values()]; // closing may remove an entry (its reader ends too)
    await Promise.all(entries.map((e) => e.output.close()));
    final.outputs = entries.map((e) => this.#info(e));
    this.#outputs.clear();
    return final;
  }

  #packet(p: ReceivedPacket): void {
    const frame = p.tzsp.frame;
    const originalLength = Math.max(p.tzsp.originalLength ?? 0, frame.length);
    this.session.write({
      sensor: p.sensor,
      linktype: p.linktype,
      encapsulation: p.tzsp.encapsulation,
      frame,
      originalLength,
      timestampNs: p.timestampNs,
    });
    const seq = ++this.#seq;
    this.#recent[seq % recentSize] = { seq, timestampNs: p.timestampNs, sensor: p.sensor, linktype: p.linktype, frame, originalLength };
  }

  /** One rate point per sensor row; rows evicted from the table take their history with them. */
  #sample(): void {
    const sensors = this.receiver.sensorStats();
    const live = new Set(sensors.map((s) => s.id));
    for (const id of this.#history.keys()) if (!live.has(id)) this.#history.delete(id);
    for (const s of sensors) {
      const h = this.#history.get(s.id) ?? [];
      h.push(Math.round(s.packetsPerSecond));
      if (h.length > historySeconds) h.shift();
      this.#history.set(s.id, h);
    }
  }

  #info(e: OutputEntry): OutputInfo {
    const s = e.output.stats();
    return {
      id: e.id,
      kind: e.kind,
      label: e.output.label,
      packets: s.packets,
      bytes: s.bytes,
      drops: s.drops,
      files: e.files(),
      error: e.error(),
    };
  }
}
