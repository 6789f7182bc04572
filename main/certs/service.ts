// The certificates service: CA, issuance, CSR signing, inventory and renewal, trust stores.
// The CA key is read here and never leaves: results carry certificates, paths and fingerprints only.
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CaInfo, CaState, InventoryEntry, IssueResult, StoreId, StoreStatus, TrustEvent } from '../contract/certs.ts';
import { ServiceError } from '../contract/errors.ts';
import { run } from '../system/run.ts';
import { caExists, createCa, isKeyEncrypted, loadCa, noCa, unlockCa, type LoadedCa } from './ca.ts';
import { caRootAt, mkcertCaRoot, resolveCaRoot, type CaRoot } from './ca-root.ts';
import type { Issuer } from './certificate.ts';
import { forbiddenNames, ownDomains, parsePermits, permitText, proposedPermits } from './constraints.ts';
import { envLines, writeCaBundle } from './env-lines.ts';
import { Inventory, type InventoryEntry as StoredEntry } from './inventory.ts';
import { issueLeaf, signCsr, type Issued, type OutputFiles } from './issue.ts';
import { keyTypeOf, type KeyType } from './keys.ts';
import { parseName, type CertName } from './names.ts';
import { trustedRoot } from './trusted-root.ts';
import { shellQuote } from './trust/store.ts';
import { changeTrust, defaultTrustOptions, storesFor, trustStatuses, type TrustOptions } from './trust/trust.ts';

const DAY = 86_400_000;
const adoptedKey = 'adoptedCaRoot';

export interface CertsOptions {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  /** Overrides for tests: the system store's filesystem root, a recorded runner, another platform. */
  trust?: Partial<TrustOptions>;
}

export interface IssueParams extends OutputFiles {
  names: string[];
  keyType: KeyType;
  client: boolean;
  days?: number | undefined;
  caPassphrase?: string | undefined;
}

function absoluteDir(dir: string): string {
  if (!path.isAbsolute(dir)) throw new ServiceError('invalid-argument', `The output folder must be an absolute path, not "${dir}".`, { field: 'dir' });
  return dir;
}

export class CertsService {
  readonly options: CertsOptions;
  #inventory: Inventory | null = null;
  /**
   * The CA as last read and parsed, and its unlocked key (unencrypted keys only): reused while both files keep
   * their path, size and mtime, so issuing reads and parses nothing but stats two files.
   */
  #cache: { stamp: string; ca: LoadedCa; issuer: Issuer | null } | null = null;

  constructor(options: CertsOptions) {
    this.options = options;
  }

  get inventory(): Inventory {
    this.#inventory ??= new Inventory(this.options.dataDir);
    return this.#inventory;
  }

  close(): void {
    this.#inventory?.close();
    this.#inventory = null;
  }

  root(): CaRoot {
    return resolveCaRoot(this.options.env, this.options.dataDir, this.inventory.setting(adoptedKey));
  }

  #trustOptions(scope?: 'system' | 'user'): TrustOptions {
    return { ...defaultTrustOptions(this.options.env), ...this.options.trust, ...(scope ? { scope } : {}) };
  }

  /** The CA in use now, or null when there is none yet. */
  #ca(root = this.root()): LoadedCa | null {
    const stats = [root.certFile, root.keyFile].map((f) => statSync(f, { throwIfNoEntry: false }));
    const stamp = [root.certFile, ...stats.map((s) => `${s?.size}:${s?.mtimeMs}`)].join('|');
    if (this.#cache?.stamp === stamp) return this.#cache.ca;
    this.#cache = stats[0] ? { stamp, ca: loadCa(root), issuer: null } : null;
    return this.#cache?.ca ?? null;
  }

  #caInfo(ca: LoadedCa): CaInfo {
    const permits = ca.certificate.permits;
    return {
      subject: ca.certificate.subject,
      serial: ca.certificate.serial,
      fingerprint: ca.certificate.fingerprint,
      keyType: keyTypeOf(ca.certificate.publicKey),
      notBefore: ca.certificate.notBefore.toISOString(),
      notAfter: ca.certificate.notAfter.toISOString(),
      permits: permits ? permitText(permits) : null,
      encrypted: isKeyEncrypted(ca),
      hasKey: ca.keyPem !== null,
      certFile: ca.root.certFile,
      keyFile: ca.root.keyFile,
      storeName: trustedRoot(ca).name,
    };
  }

  state(): CaState {
    const root = this.root();
    const mkcertDir = mkcertCaRoot(this.options.env);
    const ca = this.#ca(root);
    let lines: string[] = [];
    if (ca) lines = envLines(ca.root.certFile, writeCaBundle(this.options.dataDir, ca.certPem), process.platform);
    return {
      dir: root.dir,
      source: root.source,
      ca: ca ? this.#caInfo(ca) : null,
      mkcertDir,
      mkcertHasCa: caExists(caRootAt(mkcertDir, 'adopted')),
      proposedPermits,
      ownDomains: ownDomains([os.hostname(), ...this.inventory.list().flatMap((e) => e.names.filter((n) => n.kind === 'dns').map((n) => n.value))]),
      defaultDir: path.join(this.options.dataDir, 'certs'),
      envLines: lines,
    };
  }

  async createCa(params: { keyType: KeyType; permits?: string[] | undefined; passphrase?: string | undefined }): Promise<CaState> {
    const permits = params.permits ? parsePermits(params.permits) : null;
    await createCa(this.root(), { keyType: params.keyType, permits, ...(params.passphrase ? { passphrase: params.passphrase } : {}) });
    return this.state();
  }

  adoptCa(dir?: string): CaState {
    const target = caRootAt(dir ?? mkcertCaRoot(this.options.env), 'adopted');
    if (!caExists(target)) throw new ServiceError('not-found', `There is no CA (${path.basename(target.certFile)}) in ${target.dir}.`, { field: 'dir' });
    if (this.options.env.CAROOT) throw new ServiceError('invalid-argument', 'CAROOT is set, and it always wins over an adopted folder.', { hint: 'Unset CAROOT, or point CAROOT at the folder instead.' });
    loadCa(target);
    this.inventory.setSetting(adoptedKey, target.dir);
    return this.state();
  }

  #unlock(passphrase: string | undefined, root = this.root()): Issuer {
    const ca = this.#ca(root);
    if (!ca) throw noCa(root);
    if (this.#cache?.issuer) return this.#cache.issuer;
    const issuer = unlockCa(ca, passphrase);
    // A passphrase-protected key is unlocked for each request and never kept.
    if (!isKeyEncrypted(ca) && this.#cache) this.#cache.issuer = issuer;
    return issuer;
  }

  #entry(stored: StoredEntry, caFingerprint: string | null): InventoryEntry {
    return { ...stored, daysLeft: Math.floor((Date.parse(stored.notAfter) - Date.now()) / DAY), fromCurrentCa: stored.caFingerprint === caFingerprint };
  }

  #currentCaFingerprint(): string | null {
    return this.#ca()?.certificate.fingerprint ?? null;
  }

  #result(issued: Issued, stored: StoredEntry, createdCa: boolean, p12Password: string): IssueResult {
    return { entry: this.#entry(stored, issued.record.caFingerprint), warnings: issued.warnings, p12Password: stored.p12File ? p12Password : null, createdCa };
  }

  async issue(params: IssueParams): Promise<IssueResult> {
    const root = this.root();
    const createdCa = this.#ca(root) === null;
    if (createdCa) await createCa(root, { keyType: 'ecdsa', permits: null });
    const issuer = this.#unlock(params.caPassphrase, root);
    const output: OutputFiles = { dir: absoluteDir(params.dir), certFile: params.certFile, keyFile: params.keyFile, p12File: params.p12File, pkcs12: params.pkcs12, p12Password: params.p12Password };
    const issued = await issueLeaf(issuer, { names: params.names, keyType: params.keyType, client: params.client, days: params.days, output });
    return this.#result(issued, this.inventory.add(issued.record), createdCa, params.p12Password);
  }

  async signCsr(params: { csrFile: string; days?: number | undefined; dir: string; certFile?: string | undefined; caPassphrase?: string | undefined }): Promise<IssueResult> {
    const issuer = this.#unlock(params.caPassphrase);
    const csrFile = path.resolve(absoluteDir(params.dir), params.csrFile);
    if (!existsSync(csrFile)) throw new ServiceError('not-found', `No such file: ${csrFile}`, { field: 'csrFile' });
    const issued = await signCsr(issuer, { csrFile, csrPem: readFileSync(csrFile, 'utf8'), days: params.days, output: { dir: params.dir, certFile: params.certFile, pkcs12: false, p12Password: '' } });
    return this.#result(issued, this.inventory.add(issued.record), false, '');
  }

  list(expiringWithinDays?: number): InventoryEntry[] {
    const ca = this.#currentCaFingerprint();
    const stored = expiringWithinDays === undefined ? this.inventory.list() : this.inventory.expiringBefore(new Date(Date.now() + expiringWithinDays * DAY));
    return stored.map((e) => this.#entry(e, ca));
  }

  #get(id: number): StoredEntry {
    const entry = this.inventory.get(id);
    if (!entry) throw new ServiceError('not-found', `There is no certificate with id ${id} in the inventory.`, { field: 'id', hint: 'See `lanyard cert list`.' });
    return entry;
  }

  async #renewOne(entry: StoredEntry, issuer: Issuer, p12Password: string): Promise<Issued> {
    const anyFile = entry.certFile ?? entry.p12File!;
    const output: OutputFiles = { dir: path.dirname(anyFile), certFile: entry.certFile ?? undefined, keyFile: entry.keyFile ?? undefined, p12File: entry.p12File ?? undefined, pkcs12: entry.p12File !== null, p12Password };
    const days = entry.days ?? undefined;
    if (entry.csrFile) {
      if (!existsSync(entry.csrFile)) throw new ServiceError('not-found', `Certificate ${entry.id} was signed from ${entry.csrFile}, which is gone; sign a new request instead.`);
      return signCsr(issuer, { csrFile: entry.csrFile, csrPem: readFileSync(entry.csrFile, 'utf8'), days, output });
    }
    return issueLeaf(issuer, { names: entry.names.map((n) => n.value), keyType: entry.keyType, client: entry.client, days, output });
  }

  async renew(params: { id?: number | undefined; expiringWithinDays?: number | undefined; p12Password: string; caPassphrase?: string | undefined }): Promise<{ renewed: InventoryEntry[]; warnings: string[] }> {
    const targets = params.id !== undefined ? [this.#get(params.id)] : this.inventory.expiringBefore(new Date(Date.now() + (params.expiringWithinDays ?? 0) * DAY));
    if (targets.length === 0) return { renewed: [], warnings: [] };
    const issuer = this.#unlock(params.caPassphrase);
    const renewed: InventoryEntry[] = [];
    const warnings: string[] = [];
    for (const entry of targets) {
      const issued = await this.#renewOne(entry, issuer, params.p12Password);
      warnings.push(...issued.warnings);
      renewed.push(this.#entry(this.inventory.replace(entry.id, issued.record), issued.record.caFingerprint));
    }
    return { renewed, warnings };
  }

  remove(id: number, deleteFiles: boolean): { deletedFiles: string[] } {
    const entry = this.#get(id);
    const deletedFiles: string[] = [];
    if (deleteFiles) {
      for (const file of [entry.certFile, entry.keyFile, entry.p12File]) {
        if (file && existsSync(file)) {
          rmSync(file);
          deletedFiles.push(file);
        }
      }
    }
    this.inventory.remove(id);
    return { deletedFiles };
  }

  pem(id: number): { pem: string } {
    const entry = this.#get(id);
    if (entry.certFile && existsSync(entry.certFile)) {
      const text = readFileSync(entry.certFile, 'utf8');
      // A combined key+certificate file: hand back only the certificate blocks.
      const certs = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g);
      if (certs) return { pem: certs.join('') };
    }
    throw new ServiceError('not-found', `Certificate ${id} has no PEM file${entry.p12File ? ` (it was written as ${entry.p12File})` : ''}.`);
  }

  #trusted() {
    const ca = this.#ca();
    return ca ? trustedRoot(ca) : null;
  }

  async trustStatus(scope?: 'system' | 'user'): Promise<StoreStatus[]> {
    const options = this.#trustOptions(scope);
    return trustStatuses(storesFor(options), this.#trusted(), options.runner);
  }

  /** Each name as issuance would read it; `forbidden` when the CA's name constraints exclude it. */
  checkNames(inputs: string[]): { input: string; name: CertName | null; error: string | null; forbidden: boolean }[] {
    const permits = this.#ca()?.certificate.permits ?? null;
    return inputs.map((input) => {
      try {
        const name = parseName(input);
        return { input, name, error: null, forbidden: permits !== null && forbiddenNames([name], permits).length > 0 };
      } catch (error) {
        return { input, name: null, error: (error as Error).message, forbidden: false };
      }
    });
  }

  /** Open the file manager on an issued file, on the machine the host runs on. */
  async reveal(id: number): Promise<{ command: string }> {
    const entry = this.#get(id);
    const file = entry.certFile ?? entry.p12File;
    if (!file || !existsSync(file)) throw new ServiceError('not-found', `The files of certificate ${id} are gone.`);
    const argv = process.platform === 'darwin' ? ['open', '-R', file] : process.platform === 'win32' ? ['explorer', `/select,${file}`] : ['xdg-open', path.dirname(file)];
    const result = await run(argv[0]!, argv.slice(1), { timeoutMs: 5000 });
    // explorer.exe exits 1 even when it opened the window.
    if (result.failure || (result.code !== 0 && process.platform !== 'win32')) throw new ServiceError('unavailable', `Could not open the file manager (${argv[0]}): ${result.failure ?? result.stderr.trim()}`, { hint: `The file is ${file}.` });
    return { command: shellQuote(argv) };
  }

  /** Delete the CA's files, but only once no store on this machine still holds the root. */
  async deleteCa(): Promise<{ deletedFiles: string[] }> {
    const root = this.root();
    if (!caExists(root)) throw new ServiceError('not-found', `There is no CA in ${root.dir}.`);
    // On macOS and Windows the user's own keychain / store counts too.
    const perUser = ['darwin', 'win32'].includes(this.#trustOptions().platform);
    const statuses = [...(await this.trustStatus('system')), ...(perUser ? (await this.trustStatus('user')).filter((s) => s.id === 'macos' || s.id === 'windows') : [])];
    const holding = statuses.filter((s) => s.present === true);
    if (holding.length > 0) {
      throw new ServiceError('failed', `The root is still in: ${holding.map((s) => s.label).join(', ')}. Deleting its key now would leave a root nobody can revoke or remove by name.`, { hint: 'Run `lanyard cert -uninstall` first.' });
    }
    const deletedFiles = [root.keyFile, root.certFile].filter((f) => existsSync(f));
    for (const file of deletedFiles) rmSync(file);
    if (root.source === 'adopted') this.inventory.setSetting(adoptedKey, null);
    return { deletedFiles };
  }

  async trust(action: 'install' | 'uninstall', scope: 'system' | 'user', stores: StoreId[] | undefined, emit: (event: TrustEvent) => void): Promise<void> {
    const root = this.#trusted();
    if (!root) throw new ServiceError('not-found', 'There is no CA to trust yet.', { hint: 'Create one first: `lanyard cert --create-ca`.' });
    const options = this.#trustOptions(scope);
    await changeTrust(action, storesFor(options), root, options, emit, stores);
  }
}
