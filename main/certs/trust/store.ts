// What every trust store offers, and how its commands run: each is announced (exactly, shell-quoted)
// before it runs, and a failure stops that store and leaves the command for the user to run by hand.
import type { StoreId, StoreStatus } from '../contract.ts';
import type { RunResult } from '../../system/run.ts';

/** The CA as the stores see it: public material only. */
export interface TrustedRoot {
  certFile: string;
  certPem: string;
  /** Unique per root, used as the nickname/alias/file name in every store. */
  name: string;
  /** SHA-256 and SHA-1 fingerprints as bare upper-case hex, and the serial as hex. */
  sha256: string;
  sha1: string;
  serialHex: string;
}

export interface Command {
  argv: string[];
  /** Needs root / an administrator: run through sudo when we are not root. */
  privileged: boolean;
}

/** Runs a command. The real one is run() from system/run.ts; tests of macOS/Windows pass a recorded fake. */
export type Runner = (argv: readonly string[], options: { timeoutMs: number }) => Promise<RunResult>;

export interface Status {
  /** Trusted for TLS, as verified by the store itself. */
  installed: boolean;
  /** Some trace of the root is there (so uninstall has work to do), even if not fully installed. */
  present: boolean;
  detail: string;
}

export interface TrustStore {
  id: StoreId;
  label: string;
  /** Null when usable; else why not (tool missing, no database). */
  unavailable(): Promise<string | null>;
  locations(): Promise<string[]>;
  status(root: TrustedRoot, run: Runner): Promise<Status>;
  /** The commands that install the root, in order. */
  install(root: TrustedRoot): Promise<Command[]>;
  /** The commands that remove every trace of the root, in order (none when there is nothing to remove). */
  uninstall(root: TrustedRoot, run: Runner): Promise<Command[]>;
}

export async function statusOf(store: TrustStore, root: TrustedRoot | null, run: Runner): Promise<StoreStatus> {
  const base = { id: store.id, label: store.label };
  const why = await store.unavailable();
  const locations = why ? [] : await store.locations();
  if (why) return { ...base, available: false, installed: null, present: null, detail: why, locations };
  if (!root) return { ...base, available: true, installed: null, present: null, detail: 'No CA yet.', locations };
  const status = await store.status(root, run);
  return { ...base, available: true, installed: status.installed, present: status.present, detail: status.detail, locations };
}
