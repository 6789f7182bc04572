// A running listener: the TZSP receiver and, when asked, a HEP receiver writing into the same live pcapng
// session (one interface per sensor and per HEP agent), its outputs, the recent-packet ring, per-sensor rate
// history, the transport tap (UDP/TCP packets for Calls) and HEP forwarding. The captures service and the CLI
// both drive it.
import type { CaptureStatus, ListenSettings, OutputInfo, OutputKind, PacketSummary } from './contract.ts';
import { HepForwarder } from './hep/hep-forwarder.ts';
import type { HepMessage } from './hep/hep-parse.ts';
import { HepReceiver } from './hep/hep-receiver.ts';
import { SyntheticFrames } from './hep/synthetic-frame.ts';
import { summarize } from './packet-summary.ts';
import { PcapngSession, type PcapngOutput, type SessionPacket } from './pcapng-session.ts';
import { TzspReceiver, type ReceivedPacket } from './receiver.ts';
import type { TransportPacket } from './transport-packet.ts';
import { TransportTap } from './transport-tap.ts';

const recentSize = 1000;
/** Bytes of a frame a ring slot holds in its own buffer; a larger frame gets a copy of its own (as rare as jumbo frames). */
const recentSlotBytes = 2048;
const historySeconds = 60;
/** Sensor and interface rows per status (each push, the stop summary): newest first past this. A row is under
 * 2 KB (a 255-byte name, 60 history points), so a status stays under ~1 MB whatever senders do. */
export const statusRows = 256;

interface RecentPacket {
  seq: number;
  timestampNs: bigint;
  sensor: string;
  linktype: number;
  /** The slot's own copy: received frames are views into a reused receive buffer. */
  store: Buffer;
  frame: Buffer;
  frameLength: number;
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
  /** UDP/TCP packets from every source, for Calls (decoded only while someone listens); the host's, shared. */
  readonly tap: TransportTap;
  readonly startedAt = Date.now();
  #hep: HepReceiver | null = null;
  #forwarder: HepForwarder | null = null;
  readonly #frames = new SyntheticFrames();
  #hepTooLarge = 0;
  /** Tap packets its consumer could not take (the receiver counts them when the host falls behind). */
  tapBehind = 0;
  readonly #outputs = new Map<string, OutputEntry>();
  readonly #recent: (RecentPacket | undefined)[] = new Array(recentSize);
  readonly #history = new Map<string, number[]>();
  #seq = 0;
  #nextOutput = 1;
  readonly #out: SessionPacket = { sensor: '', linktype: 0, encapsulation: 0, frame: Buffer.alloc(0), timestampNs: 0n };
  #ticker: NodeJS.Timeout | null = null;

  private constructor(settings: ListenSettings, tap: TransportTap) {
    this.settings = settings;
    this.tap = tap;
    this.receiver = new TzspReceiver({ port: settings.port, bind: settings.bind, allow: settings.allow }, (p) => this.#packet(p));
  }

  static async start(settings: ListenSettings, tap = new TransportTap()): Promise<Listener> {
    const listener = new Listener(settings, tap);
    if (settings.hepForward)
      listener.#forwarder = new HepForwarder({ target: settings.hepForward, authKey: settings.hepForwardKey ?? null });
    try {
      if (settings.tzsp) await listener.receiver.start();
      if (settings.hep) {
        listener.#hep = new HepReceiver(settings.hep, (m, from, agent) => listener.#hepMessage(m, from, agent));
        await listener.#hep.start().catch((error: unknown) => {
          throw Object.assign(error as Error, { source: 'hep' }); // so the bind error names the HEP port
        });
      }
    } catch (error) {
      await listener.#closeSources();
      throw error;
    }
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
        ...summarize(p.linktype, p.frame.subarray(0, p.frameLength)),
      });
    }
    return out;
  }

  get lastSeq(): number {
    return this.#seq;
  }

  status(running = true): CaptureStatus {
    const address = this.receiver.address;
    const hep = this.#hep?.address;
    const { hep: hepSettings, hepForwardKey, ...rest } = this.settings;
    const settings = hepForwardKey ? { ...rest, hepForwardKey: '‹set›' } : rest;
    return {
      running,
      // HEP keys are the user's own secrets: a status (sent to every view) only says whether one is set.
      settings: hepSettings ? { ...settings, hep: { ...hepSettings, ...(hepSettings.password ? { password: '‹set›' } : {}) } } : settings,
      address: address?.address ?? null,
      port: address?.port ?? null,
      receiveBufferBytes: this.receiver.receiveBufferBytes,
      receivePath: this.receiver.receivePath,
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
      hep:
        this.#hep && hep
          ? {
              address: hep.address,
              port: hep.port,
              totals: { ...this.#hep.totals, tooLarge: this.#hepTooLarge },
              agents: this.#hep.agents.list(statusRows),
              agentCount: this.#hep.agents.size,
            }
          : null,
      tap: this.tap.stats(),
      tapBehind: this.tapBehind,
      forward: this.#forwarder ? { target: this.#forwarder.target, ...this.#forwarder.totals } : null,
      error: null,
    };
  }

  /** Stop receiving, then flush and close every output; returns the final counters. */
  async stop(): Promise<CaptureStatus> {
    if (this.#ticker) clearInterval(this.#ticker);
    await this.#closeSources();
    const final = this.status(false);
    const entries = [...this.#outputs.values()]; // closing may remove an entry (its reader ends too)
    await Promise.all(entries.map((e) => e.output.close()));
    final.outputs = entries.map((e) => this.#info(e));
    this.#outputs.clear();
    return final;
  }

  async #closeSources(): Promise<void> {
    await Promise.all([this.receiver.stop(), this.#hep?.stop(), this.#forwarder?.close()]);
  }

  #packet(p: ReceivedPacket): void {
    const frame = p.tzsp.frame;
    const originalLength = Math.max(p.tzsp.originalLength ?? 0, frame.length);
    const out = this.#out; // reused: the session keeps nothing of it
    out.sensor = p.sensor;
    out.linktype = p.linktype;
    out.encapsulation = p.tzsp.encapsulation;
    out.frame = frame;
    out.originalLength = originalLength;
    out.timestampNs = p.timestampNs;
    this.session.write(out);
    this.#remember(p.sensor, p.linktype, frame, originalLength, p.timestampNs);
    if (!this.tap.active && !this.#forwarder) return;
    this.tap.decode(p.sensor, p.linktype, frame, p.timestampNs, this.#decoded);
  }

  readonly #decoded = (packet: TransportPacket): void => {
    this.tap.emit(packet);
    this.#forwarder?.packet(packet);
  };

  /** A HEP agent's message: a synthetic frame in the pcapng, a packet for the tap, relayed when forwarding. */
  #hepMessage(m: HepMessage, from: string, sensor: string): void {
    this.#forwarder?.relay(m);
    const ts = m.timestampUs ?? Date.now() * 1000;
    const timestampNs = BigInt(ts) * 1000n;
    const frame = this.#frames.build(m);
    if (frame) {
      this.session.write({
        sensor,
        linktype: 1,
        encapsulation: 1,
        origin: `HEPv${m.version} agent ${m.captureId} at ${from}`,
        frame,
        timestampNs,
      });
      this.#remember(sensor, 1, frame, frame.length, timestampNs);
    } else this.#hepTooLarge++;
    if (m.protocol !== 17 && m.protocol !== 6 && m.protocol !== 132) return;
    this.tap.emit({
      ts,
      src: m.src,
      dst: m.dst,
      sport: m.sport,
      dport: m.dport,
      transport: m.protocol === 6 ? 'tcp' : m.protocol === 132 ? 'sctp' : 'udp', // an SCTP agent sends each message whole
      payload: m.payload,
      source: sensor,
    });
  }

  /** Into the ring's slot, reused, the frame copied into its buffer: no object per packet (at 50k packets/s the
   * young generation notices). */
  #remember(sensor: string, linktype: number, frame: Buffer, originalLength: number, timestampNs: bigint): void {
    const seq = ++this.#seq;
    let slot = this.#recent[seq % recentSize];
    if (!slot) {
      const store = Buffer.allocUnsafe(recentSlotBytes);
      slot = { seq, timestampNs, sensor, linktype, store, frame: store, frameLength: 0, originalLength };
      this.#recent[seq % recentSize] = slot;
    }
    slot.seq = seq;
    slot.timestampNs = timestampNs;
    slot.sensor = sensor;
    slot.linktype = linktype;
    slot.frame = frame.length <= recentSlotBytes ? slot.store : Buffer.allocUnsafe(frame.length);
    frame.copy(slot.frame);
    slot.frameLength = frame.length;
    slot.originalLength = originalLength;
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
