// Per-sensor counters. A sensor is its source address, plus its tag-80 name when it sends one.
// The sender picks both (names freely, addresses by spoofing), so the table is bounded: each address gets at
// most `namesPerAddress` rows, the table at most `maxSensors`; a full table evicts its longest-idle row, and a
// datagram that still finds no room is charged to an overflow row and counted as "too many sensors".
import type { SensorStats as ContractSensorStats } from './contract.ts';
import type { TzspParse } from './tzsp.ts';

/** The contract's sensor row, minus the rate history the listener keeps. */
export type SensorStats = Omit<ContractSensorStats, 'history'>;

interface Sensor extends SensorStats {
  lastPacketId: number | null;
  packetsAtTick: number;
  bytesAtTick: number;
}

export interface SensorLimits {
  /** Rows in the table, overflow rows included. */
  maxSensors: number;
  /** Distinct rows (names, and the bare address) one source address may hold. */
  namesPerAddress: number;
  /** A row idle this long may be evicted to make room for a new sensor. */
  idleMs: number;
}

export const defaultSensorLimits: SensorLimits = { maxSensors: 1024, namesPerAddress: 256, idleMs: 60_000 };

/** Encapsulations with no link type, listed per sensor: a sender can cycle through 65,536 of them. */
const maxUnknownEncapsulations = 16;

/** A jump this large is a sensor restart, not loss. */
const maxGap = 1_000_000;

/** Tag-80 names are printable ASCII (see tzsp.ts), so a name with "…" never collides with a real one. */
export const overflowName = '…overflow';
/** The address of the one row that takes what no per-address overflow row has room for. */
export const anyAddress = '*';

export function sensorId(address: string, name: string | undefined): string {
  return name ? `${name}@${address}` : address;
}

export interface SensorTotals {
  /** Datagrams charged to an overflow row because their own sensor found no room. */
  tooManySensors: number;
  /** Rows dropped after `idleMs` of silence to make room (their datagrams stay in the totals). */
  evictedSensors: number;
}

export class SensorTable {
  readonly #limits: SensorLimits;
  readonly #sensors = new Map<string, Sensor>();
  /** Malformed datagrams carry no trustworthy name: charge them to the sensor last seen at that address. */
  readonly #byAddress = new Map<string, Sensor>();
  /** Rows per address, overflow row excluded, for the per-address limit. */
  readonly #rowsAt = new Map<string, number>();
  /** No row can be idle enough to evict before this time (lastSeen only grows): skips the scan under a flood. */
  #noEvictionBefore = 0;
  #tickAt = 0;
  readonly totals: SensorTotals = { tooManySensors: 0, evictedSensors: 0 };

  constructor(limits: Partial<SensorLimits> = {}) {
    this.#limits = { ...defaultSensorLimits, ...limits };
  }

  get size(): number {
    return this.#sensors.size;
  }

  /** Count one datagram; returns the sensor's id. */
  record(address: string, parsed: TzspParse, bytes: number, now: number): string {
    const name = parsed.kind === 'frame' ? parsed.deviceName : undefined;
    const sensor =
      parsed.kind === 'frame' ? this.#sensor(address, name, now) : (this.#byAddress.get(address) ?? this.#sensor(address, undefined, now));
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
      if (
        linktype === null &&
        !sensor.unknownEncapsulations.includes(parsed.encapsulation) &&
        sensor.unknownEncapsulations.length < maxUnknownEncapsulations
      )
        sensor.unknownEncapsulations.push(parsed.encapsulation);
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

  /** Every row, or the `limit` most recently seen (newest first) when a caller must bound what it sends. */
  list(limit = Infinity): SensorStats[] {
    const rows = [...this.#sensors.values()];
    const chosen = rows.length > limit ? rows.sort((a, b) => b.lastSeen - a.lastSeen).slice(0, limit) : rows;
    return chosen.map(({ lastPacketId: _id, packetsAtTick: _p, bytesAtTick: _b, ...stats }) => ({
      ...stats,
      linktypes: [...stats.linktypes],
      unknownEncapsulations: [...stats.unknownEncapsulations],
    }));
  }

  #sensor(address: string, name: string | undefined, now: number): Sensor {
    // Per datagram: a sensor sends again from the same address under the same name, so find it without
    // building its id (a new string to hash each time). An evicted row has left #byAddress.
    const last = this.#byAddress.get(address);
    if (last && last.name === (name ?? null)) return last;
    const id = sensorId(address, name);
    let sensor = this.#sensors.get(id);
    if (!sensor) {
      const rows = this.#rowsAt.get(address) ?? 0;
      if (rows >= this.#limits.namesPerAddress || !this.#room(now)) return this.#overflow(address, now);
      sensor = this.#add(id, address, name ?? null, now);
      this.#rowsAt.set(address, rows + 1);
    }
    this.#byAddress.set(address, sensor);
    return sensor;
  }

  /** The address's overflow row if there is room for it, else the table-wide one (which is always allowed). */
  #overflow(address: string, now: number): Sensor {
    this.totals.tooManySensors++;
    const id = sensorId(address, overflowName);
    const own = this.#sensors.get(id) ?? (this.#room(now) ? this.#add(id, address, overflowName, now) : undefined);
    if (own) return own;
    const anyId = sensorId(anyAddress, overflowName);
    return this.#sensors.get(anyId) ?? this.#add(anyId, anyAddress, overflowName, now);
  }

  /** True when a row may be added, evicting the longest-idle row of a full table if it has been idle long enough. */
  #room(now: number): boolean {
    // The table-wide overflow row sits outside the cap, so it never blocks a sensor.
    const used = this.#sensors.size - (this.#sensors.has(sensorId(anyAddress, overflowName)) ? 1 : 0);
    if (used < this.#limits.maxSensors) return true;
    if (now < this.#noEvictionBefore) return false;
    let oldest: Sensor | null = null;
    for (const s of this.#sensors.values()) if (s.address !== anyAddress && (!oldest || s.lastSeen < oldest.lastSeen)) oldest = s;
    if (!oldest || now - oldest.lastSeen < this.#limits.idleMs) {
      this.#noEvictionBefore = (oldest?.lastSeen ?? now) + this.#limits.idleMs;
      return false;
    }
    this.#evict(oldest);
    return true;
  }

  #evict(sensor: Sensor): void {
    this.#sensors.delete(sensor.id);
    this.totals.evictedSensors++;
    if (this.#byAddress.get(sensor.address) === sensor) this.#byAddress.delete(sensor.address);
    if (sensor.name === overflowName) return;
    const rows = (this.#rowsAt.get(sensor.address) ?? 1) - 1;
    if (rows > 0) this.#rowsAt.set(sensor.address, rows);
    else this.#rowsAt.delete(sensor.address);
  }

  #add(id: string, address: string, name: string | null, now: number): Sensor {
    const sensor: Sensor = {
      id,
      address,
      name,
      mac: null,
      firstSeen: now,
      lastSeen: now,
      packets: 0,
      bytes: 0,
      malformed: 0,
      lastMalformed: null,
      control: 0,
      gaps: 0,
      linktypes: [],
      unknownEncapsulations: [],
      packetsPerSecond: 0,
      bitsPerSecond: 0,
      lastPacketId: null,
      packetsAtTick: 0,
      bytesAtTick: 0,
    };
    this.#sensors.set(id, sensor);
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
