// The HEP agents a receiver has heard from, one row per agent (capture id, node name, address) as the pcapng names
// its interface: messages taken, auth failures, version, first and last seen. Agents are outside input (any
// host can claim any id), so the table is bounded: the least recently seen row is evicted, and counted.
import type { HepMessage } from './hep-parse.ts';

export interface HepAgentStats {
  /** The label the agent's pcapng interface and Calls' source carry: "hep ID[/NODE]@ADDRESS". */
  id: string;
  captureId: number;
  nodeName: string | null;
  address: string;
  version: number;
  /** Messages taken (past the auth key check). */
  messages: number;
  /** Messages with a missing or wrong auth key while a password is set. */
  authFailed: number;
  firstSeen: number;
  lastSeen: number;
}

const maxAgents = 1024;

/** An agent's label: its capture id, node name (first 64 characters) and address. */
export function hepAgentLabel(m: Pick<HepMessage, 'captureId' | 'nodeName'>, from: string): string {
  return `hep ${m.captureId}${m.nodeName ? `/${m.nodeName.slice(0, 64)}` : ''}@${from}`;
}

export class HepAgents {
  readonly #rows = new Map<string, HepAgentStats>();
  evicted = 0;

  /** Count a message from `from`; `accepted` false when its auth key was refused. Returns the agent's label. */
  count(m: HepMessage, from: string, accepted: boolean, now = Date.now()): string {
    const id = hepAgentLabel(m, from);
    let row = this.#rows.get(id);
    if (row)
      this.#rows.delete(id); // re-inserted last: the map stays in least-recently-seen order
    else {
      if (this.#rows.size >= maxAgents) {
        this.#rows.delete(this.#rows.keys().next().value!);
        this.evicted++;
      }
      row = {
        id,
        captureId: m.captureId,
        nodeName: m.nodeName?.slice(0, 64) ?? null,
        address: from,
        version: m.version,
        messages: 0,
        authFailed: 0,
        firstSeen: now,
        lastSeen: now,
      };
    }
    this.#rows.set(id, row);
    row.lastSeen = now;
    row.version = m.version;
    if (accepted) row.messages++;
    else row.authFailed++;
    return id;
  }

  /** The `limit` most recently seen agents, newest first (copies). */
  list(limit: number): HepAgentStats[] {
    return [...this.#rows.values()]
      .slice(-limit)
      .reverse()
      .map((r) => ({ ...r }));
  }

  get size(): number {
    return this.#rows.size;
  }
}
