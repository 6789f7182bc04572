// One live pcapng stream: an interface per (sensor, link type), fanned out to every attached output.
// Interfaces are added mid-stream as sensors appear; an output attached later starts with all of them.
// An interface block cannot be taken back once written, and every new reader is sent all of them, so their
// number is capped: past `maxInterfaces`, a new (sensor, link type) writes into one overflow interface per
// link type ("…overflow"), and its packets keep flowing with the sensor no longer told apart.
import { linktypeName } from '../display/linktypes.ts';
import { enhancedPacketBlock, interfaceDescriptionBlock, sectionHeaderBlock } from './pcapng-blocks.ts';

export interface SessionPacket {
  /** How the sensor is known: its address, with its tag-80 name when it sends one. */
  sensor: string;
  linktype: number;
  /** The TZSP encapsulation, for the interface description. */
  encapsulation: number;
  /** Where the frames come from, for the interface description, when not TZSP (a HEP agent). */
  origin?: string;
  frame: Buffer;
  originalLength?: number;
  timestampNs: bigint;
}

export interface OutputStats {
  packets: number;
  bytes: number;
  /** Packets dropped because this output's reader (disk, Wireshark, pipe) fell behind. */
  drops: number;
}

export interface PcapngOutput {
  readonly label: string;
  /** Start writing; `header` gives the section header and every interface known so far. */
  begin(header: () => Buffer): void;
  /** Interface blocks are never dropped (packet blocks point at them); packet blocks may be. `bytes` is only
   * valid during the call (packet blocks are built in one reused buffer): copy what is kept. */
  block(bytes: Buffer, droppable: boolean): void;
  stats(): OutputStats;
  /** Flush what is buffered and close. */
  close(): Promise<void>;
}

export interface SessionInterface {
  id: number;
  sensor: string;
  linktype: number;
  name: string;
}

/** Sensor rows (sensors.ts maxSensors) times a typical link type or two; a header this size is ~1 MB at most. */
export const defaultMaxInterfaces = 1024;
const overflowSensor = '…overflow'; // like sensors.ts overflowName; "…" never occurs in a tag-80 name

export class PcapngSession {
  readonly #maxInterfaces: number;
  /** Overflow interfaces sit outside the cap (one per link type, and link types come from a fixed table). */
  #overflowInterfaces = 0;
  readonly #shb = sectionHeaderBlock('Lanyard TZSP receiver');
  /** Interface id by sensor, then link type: looked up per packet, so no key string is built for it. */
  readonly #ids = new Map<string, Map<number, number>>();
  readonly #overflowIds = new Map<number, number>();
  readonly #idbs: Buffer[] = [];
  readonly #interfaces: SessionInterface[] = [];
  readonly #outputs = new Set<PcapngOutput>();
  /** Every packet block is built here, then copied by each output: no allocation per packet. */
  #scratch = Buffer.allocUnsafe(2048);
  readonly #take = (size: number): Buffer => {
    if (size > this.#scratch.length) this.#scratch = Buffer.allocUnsafe(size); // a jumbo frame: keep the larger size
    return this.#scratch.subarray(0, size);
  };

  constructor(maxInterfaces = defaultMaxInterfaces) {
    this.#maxInterfaces = maxInterfaces;
  }

  header(): Buffer {
    return Buffer.concat([this.#shb, ...this.#idbs]);
  }

  interfaces(): readonly SessionInterface[] {
    return this.#interfaces;
  }

  attach(output: PcapngOutput): void {
    this.#outputs.add(output);
    output.begin(() => this.header());
  }

  detach(output: PcapngOutput): boolean {
    return this.#outputs.delete(output);
  }

  outputs(): PcapngOutput[] {
    return [...this.#outputs];
  }

  write(packet: SessionPacket): void {
    const id = this.#interfaceId(packet);
    if (this.#outputs.size === 0) return;
    const epb = enhancedPacketBlock(id, packet.timestampNs, packet.frame, packet.originalLength, this.#take);
    for (const output of this.#outputs) output.block(epb, true);
  }

  #interfaceId(packet: SessionPacket): number {
    const known = this.#ids.get(packet.sensor)?.get(packet.linktype);
    if (known !== undefined) return known;
    if (this.#idbs.length - this.#overflowInterfaces >= this.#maxInterfaces) return this.#overflowId(packet.linktype);
    const description = packet.origin
      ? `${packet.origin} → ${linktypeName(packet.linktype).long}`
      : `TZSP from ${packet.sensor}, encapsulation ${packet.encapsulation} → ${linktypeName(packet.linktype).long}`;
    const id = this.#add(packet.sensor, packet.linktype, description);
    const bySensor = this.#ids.get(packet.sensor) ?? new Map<number, number>();
    this.#ids.set(packet.sensor, bySensor.set(packet.linktype, id));
    return id;
  }

  #overflowId(linktype: number): number {
    const known = this.#overflowIds.get(linktype);
    if (known !== undefined) return known;
    this.#overflowInterfaces++;
    const id = this.#add(
      overflowSensor,
      linktype,
      `TZSP from sensors past the ${this.#maxInterfaces}-interface limit → ${linktypeName(linktype).long}`,
    );
    this.#overflowIds.set(linktype, id);
    return id;
  }

  #add(sensor: string, linktype: number, description: string): number {
    const id = this.#idbs.length;
    const name = linktype === 1 ? sensor : `${sensor} ${linktypeName(linktype).short}`;
    const idb = interfaceDescriptionBlock(linktype, name, description);
    this.#idbs.push(idb);
    this.#interfaces.push({ id, sensor, linktype, name });
    for (const output of this.#outputs) output.block(idb, false);
    return id;
  }
}
