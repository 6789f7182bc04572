// The ACME server as the certs service runs it: its persisted settings, start and stop, the recent orders with
// their challenge results for the app, and revocation from the inventory.
import type { AcmeSettings } from '../../certs/contract.ts';
import type { Issuer } from '../certificate.ts';
import type { Inventory, InventoryEntry } from '../inventory.ts';
import { type AcmeConfig, defaultAcmeConfig, minValidityHours, parseDnsServer } from './policy.ts';
import type { AcmeServer } from './server.ts';
import { AcmeStore, type ChallengeType, type Identifier } from './store.ts';
import type { Attempt, ValidationTarget } from './validate.ts';
import { processAlive } from '../../system/process-alive.ts';

const settingKey = 'acme';
// The servers this data folder has running, one per process (the app's host, `lanyard acme serve`): another process
// (`lanyard acme clients`, the card of a host whose own server is off) then prints their URL and ports, not the settings'.
const servingKey = 'acme-serving';

/** What clients need to know of a server: where its directory is, where it validates, how long it signs for. */
export interface Served {
  directoryUrl: string;
  httpPort: number;
  tlsPort: number;
  validityHours: number;
}

interface ServingRecord extends Served {
  pid: number;
}

export interface SigningCa {
  issuer: Issuer;
  certPem: string;
  certFile: string;
}

export interface AcmeStatus {
  running: boolean;
  lastError: string | null;
  directoryUrl: string | null;
  caFile: string | null;
  settings: AcmeSettings;
}

export interface OrderSummary {
  id: string;
  account: string;
  client: string;
  identifiers: Identifier[];
  status: string;
  createdAt: string;
  error: string | null;
  challenges: { identifier: string; type: ChallengeType; status: string; attempt: string | null; error: string | null }[];
}

export class AcmeManager {
  readonly #inventory: Inventory;
  #server: AcmeServer | null = null;
  #caFile: string | null = null;
  #lastError: string | null = null;

  constructor(inventory: Inventory) {
    this.#inventory = inventory;
  }

  settings(): AcmeSettings {
    const stored = this.#inventory.setting(settingKey);
    return { enabled: false, ...defaultAcmeConfig, ...(stored ? (JSON.parse(stored) as Partial<AcmeSettings>) : {}) };
  }

  saveSettings(change: Partial<AcmeSettings>): AcmeSettings {
    const next = { ...this.settings(), ...change };
    if (next.validityHours < minValidityHours) throw new Error('The shortest validity is 1 hour.');
    if (next.dnsServer !== null) next.dnsServer = parseDnsServer(next.dnsServer);
    this.#inventory.setSetting(settingKey, JSON.stringify(next));
    return next;
  }

  /** The server another live process (`lanyard acme serve`, another host) runs on this data, if any. */
  elsewhere(): Served | null {
    const serving = this.#serving().find((r) => r.pid !== process.pid);
    if (!serving) return null;
    const { directoryUrl, httpPort, tlsPort, validityHours } = serving;
    return { directoryUrl, httpPort, tlsPort, validityHours };
  }

  /** The live processes' servers, newest first (a process that died without stopping drops out). */
  #serving(): ServingRecord[] {
    const record = this.#inventory.setting(servingKey);
    const list = record ? (JSON.parse(record) as ServingRecord[]) : [];
    return Array.isArray(list) ? list.filter((r) => processAlive(r.pid)) : [];
  }

  #setServing(list: ServingRecord[]): void {
    this.#inventory.setSetting(servingKey, list.length > 0 ? JSON.stringify(list) : null);
  }

  /** The server clients will meet: this process's, else one another process runs on this data, else the settings'. */
  served(): Served {
    const own = this.#server;
    if (own) {
      const { httpPort, tlsPort, validityHours } = own.options.config;
      return { directoryUrl: own.directoryUrl, httpPort, tlsPort, validityHours };
    }
    const other = this.elsewhere();
    if (other) return other;
    const { bind, port, httpPort, tlsPort, validityHours } = this.settings();
    const host = bind === '0.0.0.0' || bind === '::' ? '127.0.0.1' : bind.includes(':') ? `[${bind}]` : bind;
    return { directoryUrl: `https://${host}:${port || defaultAcmeConfig.port}/directory`, httpPort, tlsPort, validityHours };
  }

  status(): AcmeStatus {
    return {
      running: this.#server !== null,
      lastError: this.#lastError,
      directoryUrl: this.#server?.directoryUrl ?? null,
      caFile: this.#caFile,
      settings: this.settings(),
    };
  }

  async start(
    ca: SigningCa,
    config: AcmeConfig = this.settings(),
    validators?: Partial<Record<ChallengeType, (target: ValidationTarget) => Promise<Attempt>>>,
  ): Promise<AcmeStatus> {
    await this.stop();
    // The protocol and the HTTPS server load on start: `lanyard cert` (which opens this manager's settings) never pays for them.
    const { AcmeServer } = await import('./server.ts');
    const server = new AcmeServer({
      config,
      issuer: ca.issuer,
      caPem: ca.certPem,
      inventory: this.#inventory,
      ...(validators ? { validators } : {}),
    });
    try {
      await server.start();
    } catch (error) {
      this.failed((error as Error).message);
      throw error;
    }
    this.#lastError = null;
    this.#server = server;
    this.#caFile = ca.certFile;
    const others = this.#serving().filter((r) => r.pid !== process.pid);
    this.#setServing([{ pid: process.pid, ...this.served() }, ...others]);
    return this.status();
  }

  /** Remember why starting failed, for the app to show. */
  failed(message: string): void {
    this.#lastError = message;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    if (!server) return;
    await server.stop();
    this.#setServing(this.#serving().filter((r) => r.pid !== process.pid));
  }

  recentOrders(limit = 20): OrderSummary[] {
    const store = new AcmeStore(this.#inventory.db);
    return store.recentOrders(limit).map((order) => {
      const account = store.account(order.accountId);
      return {
        id: order.id,
        account: order.accountId,
        client: order.userAgent || account?.userAgent || '',
        identifiers: order.identifiers,
        status: order.status,
        createdAt: order.createdAt,
        error: order.error?.detail ?? null,
        challenges: store.authzsOf(order.id).flatMap((authz) =>
          store
            .challengesOf(authz.id)
            .filter((c) => c.status !== 'pending' || authz.status === 'pending')
            .map((c) => ({
              identifier: authz.identifier.value,
              type: c.type,
              status: c.status,
              attempt: c.attempt,
              error: c.error?.detail ?? null,
            })),
        ),
      };
    });
  }

  /** The PEM chain of an ACME entry's current certificate. */
  chainOf(entry: InventoryEntry): string | null {
    return new AcmeStore(this.#inventory.db).certificateBySerial(entry.serial)?.chain ?? null;
  }

  /** Revoke the certificate an inventory entry holds now (only ACME-issued entries have one to revoke). */
  async revokeEntry(inventoryId: number): Promise<void> {
    const entry = this.#inventory.get(inventoryId);
    if (!entry?.acme) throw new Error(`Inventory entry ${inventoryId} was not issued over ACME; there is nothing to revoke.`);
    const store = new AcmeStore(this.#inventory.db);
    const stored = store.certificateBySerial(entry.serial);
    if (!stored) throw new Error(`The ACME record of certificate ${entry.serial} is missing.`);
    const { revokeCertificate } = await import('./protocol.ts');
    revokeCertificate(store, this.#inventory, stored, 0);
  }
}
