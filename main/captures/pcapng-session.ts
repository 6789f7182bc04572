// One live pcapng stream: an interface per (sensor, link type), fanned out to every attached output.
// Interfaces are added mid-stream as sensors appear; an output attached later starts with all of them.
// An interface block cannot be taken back once written, and every new reader is sent all of them, so their
// number is capped: past `maxInterfaces`, a new (sensor, link type) writes into one overflow interface per
// link type ("…overflow"), and its packets keep flowing with the sensor no longer told apart.
import { BlockArena, enhancedPacketBlock, interfaceDescriptionBlock, sectionHeaderBlock } from './pcapng-blocks.ts';
import { linktypeName } from '../display/linktypes.ts';

export interface SessionPacket {
  /** How the sensor is known: its address, with its tag-80 name when it sends one. */
  sensor: string;
  linktype: number;
  /** The TZSP encapsulation, for the interface description. */
  encapsulation: number;
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
  /** Interface blocks are never dropped (packet blocks point at them); packet blocks may be. */
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
  readonly #ids = new Map<string, number>();
  readonly #idbs: Buffer[] = [];
  readonly #interfaces: SessionInterface[] = [];
  readonly #outputs = new Set<PcapngOutput>();
  readonly #arena = new BlockArena();
  readonly #take = (size: number) => this.#arena.take(size);

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
    const key = `${packet.linktype}\u0000${packet.sensor}`;
    const known = this.#ids.get(key);
    if (known !== undefined) return known;
    if (this.#ids.size - this.#overflowInterfaces >= this.#maxInterfaces) return this.#overflowId(packet.linktype);
    const description = `TZSP from ${packet.sensor}, encapsulation ${packet.encapsulation} → ${linktypeName(packet.linktype).long}`;
    return this.#add(key, packet.sensor, packet.linktype, description);
  }

  #overflowId(linktype: number): number {
    const key = `${linktype}\u0000\u0000overflow`; // NUL never occurs in a sensor id
    const known = this.#ids.get(key);
    if (known !== undefined) return known;
    this.#overflowInterfaces++;
    return this.#add(
      key,
      overflowSensor,
      linktype,
      `TZSP from sensors past the ${this.#maxInterfaces}-interface limit → ${linktypeName(linktype).long}`,
    );
  }

  #add(key: string, sensor: string, linktype: number, description: string): number {
    const id = this.#idbs.length;
    const name = linktype === 1 ? sensor : `${sensor} ${linktypeName(linktype).short}`;
    const idb = interfaceDescriptionBlock(linktype, name, description);
    this.#ids.set(key, id);
    this.#idbs.push(idb);
    this.#interfaces.push({ id, sensor, linktype, name });
    for (const output of this.#outputs) output.block(idb, false);
    return id;
  }
}
