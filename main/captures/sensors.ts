// Per-sensor counters. A sensor is its source address, plus its tag-80 name when it sends one.
import type { SensorStats as ContractSensorStats } from '../contract/captures.ts';
import type { TzspParse } from './tzsp.ts';

/** The contract's sensor row, minus the rate history the listener keeps. */
export type SensorStats = Omit<ContractSensorStats, 'history'>;

interface Sensor extends SensorStats {
  lastPacketId: number | null;
  packetsAtTick: number;
  bytesAtTick: number;
}

/** A jump this large is a sensor restart, not loss. */
const maxGap = 1_000_000;

export function sensorId(address: string, name: string | undefined): string {
  return name ? `${name}@${address}` : address;
}

export class SensorTable {
  readonly #sensors = new Map<string, Sensor>();
  /** Malformed datagrams carry no trustworthy name: charge them to the sensor last seen at that address. */
  readonly #byAddress = new Map<string, Sensor>();
  #tickAt = 0;

  /** Count one datagram; returns the sensor's id. */
  record(address: string, parsed: TzspParse, bytes: number, now: number): string {
    const name = parsed.kind === 'frame' ? parsed.deviceName : undefined;
    const sensor = parsed.kind === 'frame' ? this.#sensor(address, name, now) : (this.#byAddress.get(address) ?? this.#sensor(address, undefined, now));
    sensor.lastSeen = now;
    if (parsed.kind === 'malformed') {
      sensor.malformed++;
      sensor.lastMalformed = parsed.reason;
    } else if (parsed.kind === 'control') {
      sensor.control++;
    } else {
      sensor.packets++;
      sensor.bytes += bytes;
      if (parsed.sensorMac) sensor.mac = parsed.sensorMac;
      const linktype = parsed.linktype ?? null;
      if (linktype !== null && !sensor.linktypes.includes(linktype)) sensor.linktypes.push(linktype);
      if (linktype === null && !sensor.unknownEncapsulations.includes(parsed.encapsulation)) sensor.unknownEncapsulations.push(parsed.encapsulation);
      if (parsed.packetId !== undefined) this.#countGap(sensor, parsed.packetId);
    }
    return sensor.id;
  }

  /** Close a rate window; call about once a second. */
  tick(now: number): void {
    const seconds = this.#tickAt ? (now - this.#tickAt) / 1000 : 0;
    for (const s of this.#sensors.values()) {
      s.packetsPerSecond = seconds > 0 ? (s.packets - s.packetsAtTick) / seconds : 0;
      s.bitsPerSecond = seconds > 0 ? ((s.bytes - s.bytesAtTick) * 8) / seconds : 0;
      s.packetsAtTick = s.packets;
      s.bytesAtTick = s.bytes;
    }
    this.#tickAt = now;
  }

  list(): SensorStats[] {
    return [...this.#sensors.values()].map(({ lastPacketId: _id, packetsAtTick: _p, bytesAtTick: _b, ...stats }) => ({ ...stats, linktypes: [...stats.linktypes], unknownEncapsulations: [...stats.unknownEncapsulations] }));
  }

  #sensor(address: string, name: string | undefined, now: number): Sensor {
    const id = sensorId(address, name);
    let sensor = this.#sensors.get(id);
    if (!sensor) {
      sensor = {
        id, address, name: name ?? null, mac: null, firstSeen: now, lastSeen: now, packets: 0, bytes: 0, malformed: 0, lastMalformed: null,
        control: 0, gaps: 0, linktypes: [], unknownEncapsulations: [], packetsPerSecond: 0, bitsPerSecond: 0, lastPacketId: null, packetsAtTick: 0, bytesAtTick: 0,
      };
      this.#sensors.set(id, sensor);
    }
    this.#byAddress.set(address, sensor);
    return sensor;
  }

  #countGap(sensor: Sensor, id: number): void {
    if (sensor.lastPacketId !== null) {
      const missing = (id - sensor.lastPacketId - 1) >>> 0; // modulo 2^32: the counter wraps
      if (missing > 0 && missing < maxGap) sensor.gaps += missing;
    }
    sensor.lastPacketId = id;
  }
}
