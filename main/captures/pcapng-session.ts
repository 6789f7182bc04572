// One live pcapng stream: an interface per (sensor, link type), fanned out to every attached output.
// Interfaces are added mid-stream as sensors appear; an output attached later starts with all of them.
import { BlockArena, enhancedPacketBlock, interfaceDescriptionBlock, sectionHeaderBlock } from './pcapng-blocks.ts';
import { linktypeName } from '../contract/linktypes.ts';

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

export class PcapngSession {
  readonly #shb = sectionHeaderBlock('Lanyard TZSP receiver');
  readonly #ids = new Map<string, number>();
  readonly #idbs: Buffer[] = [];
  readonly #interfaces: SessionInterface[] = [];
  readonly #outputs = new Set<PcapngOutput>();
  readonly #arena = new BlockArena();
  readonly #take = (size: number) => this.#arena.take(size);

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
    const id = this.#idbs.length;
    const link = linktypeName(packet.linktype);
    const name = packet.linktype === 1 ? packet.sensor : `${packet.sensor} ${link.short}`;
    const description = `TZSP from ${packet.sensor}, encapsulation ${packet.encapsulation} → ${link.long}`;
    const idb = interfaceDescriptionBlock(packet.linktype, name, description);
    this.#ids.set(key, id);
    this.#idbs.push(idb);
    this.#interfaces.push({ id, sensor: packet.sensor, linktype: packet.linktype, name });
    for (const output of this.#outputs) output.block(idb, false);
    return id;
  }
}
