// A segment's records, as the sealed body holds them: JSON by column (the same field of every run side by side,
// start times as differences), then compressed. Columns put alike values next to each other, which is what
// makes the compressor's work: see `compression` for the figures. Decoding checks every value's type and bounds
// and never grows with anything but the (capped) input.
import { brotliCompressSync, brotliDecompressSync, constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import type { RunRecord } from '../store.ts';
import type { Compression } from './seal.ts';
import { uidBytes } from './uid.ts';

/** A run as a segment carries it: the store's record with its global id, without what stays on one machine. */
export type SyncRun = Omit<RunRecord, 'dedupe' | 'uid' | 'origin'> & { uid: Buffer };

export interface SyncTombstone {
  /** The run it deletes or redacts. */
  uid: Buffer;
  kind: 'delete' | 'redact';
  /** The redacted command text (redact only). */
  text: string | null;
  at: number;
}

/** The settings that follow the user: the secret rules (not pause, which is per machine). The latest change wins. */
export interface SyncSettings {
  at: number;
  defaultSecrets: boolean;
  extraSecrets: string[];
  secretAction: 'redact' | 'drop';
}

/** One segment's records: its runs first, then its tombstones, then a settings change, numbered from its first seq. */
export interface SegmentRecords {
  /** The writing machine's name, shown in sync status (inside the seal: the folder holds no names). */
  hostName: string;
  runs: SyncRun[];
  tombstones: SyncTombstone[];
  settings: SyncSettings | null;
}

/**
 * Brotli, quality 5, 4 MB window. Measured on the bench's mix (20,000 runs a segment): ~25 bytes a run sealed, 16
 * of them the run's uid (random, so incompressible); quality 9 gives the same bytes for 10× the CPU; deflate -9
 * is ~5 % bigger for about the same CPU.
 */
export const compression: Compression = 1;
/** A body decompresses to at most this: a hostile segment cannot make a reader allocate more. */
export const maxBodyBytes = 48 * 1024 * 1024;

export function encodeRecords(r: SegmentRecords, how: Compression = compression): Buffer {
  let last = 0;
  const json = JSON.stringify({
    v: 1,
    host: r.hostName,
    runs: {
      u: Buffer.concat(r.runs.map((x) => x.uid)).toString('base64'),
      c: r.runs.map((x) => x.command),
      a: r.runs.map((x) => {
        const d = x.startedAt - last;
        last = x.startedAt;
        return d;
      }),
      d: r.runs.map((x) => x.durationMs),
      x: r.runs.map((x) => x.exit),
      w: r.runs.map((x) => x.cwd),
      e: r.runs.map((x) => x.session),
      h: r.runs.map((x) => x.host),
      n: r.runs.map((x) => x.user),
      l: r.runs.map((x) => x.shell),
      o: r.runs.map((x) => x.source),
    },
    tomb: {
      u: Buffer.concat(r.tombstones.map((x) => x.uid)).toString('base64'),
      k: r.tombstones.map((x) => (x.kind === 'delete' ? 'd' : 'r')).join(''),
      t: r.tombstones.map((x) => x.text),
      a: r.tombstones.map((x) => x.at),
    },
    set: r.settings,
  });
  const raw = Buffer.from(json);
  return how === 1
    ? brotliCompressSync(raw, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 5,
          [constants.BROTLI_PARAM_LGWIN]: 22,
          [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
        },
      })
    : deflateRawSync(raw, { level: 9 });
}

export class RecordsError extends Error {}

const fail = (what: string): never => {
  throw new RecordsError(`segment records: ${what}`);
};

type Check<T> = (v: unknown) => v is T;
const isStr: Check<string> = (v): v is string => typeof v === 'string';
const isStrOrNull: Check<string | null> = (v): v is string | null => v === null || typeof v === 'string';
const isInt: Check<number> = (v): v is number => Number.isSafeInteger(v);
const isIntOrNull: Check<number | null> = (v): v is number | null => v === null || Number.isSafeInteger(v);

function column<T>(o: Record<string, unknown>, key: string, n: number, check: Check<T>): T[] {
  const v = o[key];
  if (!Array.isArray(v) || v.length !== n) fail(`column ${key} is missing or of the wrong length`);
  for (const x of v as unknown[]) if (!check(x)) fail(`column ${key} holds a value of the wrong type`);
  return v as T[];
}

function uids(v: unknown, n: number): Buffer[] {
  if (typeof v !== 'string') return fail('uids missing');
  const all = Buffer.from(v, 'base64');
  if (all.length !== n * uidBytes) fail('uids of the wrong length');
  return Array.from({ length: n }, (_, i) => all.subarray(i * uidBytes, (i + 1) * uidBytes));
}

function obj(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${what} is not an object`);
  return v as Record<string, unknown>;
}

/** The records of an opened (authentic) body; `count` is what the header's seq range says it holds. */
export function decodeRecords(body: Uint8Array, how: Compression, count: number): SegmentRecords {
  let raw: Buffer;
  try {
    raw =
      how === 1 ? brotliDecompressSync(body, { maxOutputLength: maxBodyBytes }) : inflateRawSync(body, { maxOutputLength: maxBodyBytes });
  } catch (error) {
    return fail(`does not decompress (${(error as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    return fail('not JSON');
  }
  const top = obj(parsed, 'the body');
  if (top.v !== 1) fail(`version ${String(top.v)} is not one this Lanyard reads`);
  if (!isStr(top.host)) fail('no host name');
  const r = obj(top.runs, 'runs');
  const t = obj(top.tomb, 'tombstones');
  const nRuns = Array.isArray(r.c) ? r.c.length : fail('no commands');
  const kinds = isStr(t.k) ? t.k : fail('no tombstone kinds');
  const nTomb = kinds.length;
  const settings = top.set === undefined || top.set === null ? null : decodeSettings(top.set);
  const total = nRuns + nTomb + (settings ? 1 : 0);
  if (total !== count) fail(`${total} records where the header says ${count}`);
  const runUids = uids(r.u, nRuns);
  const c = column(r, 'c', nRuns, isStr);
  const a = column(r, 'a', nRuns, isInt);
  const d = column(r, 'd', nRuns, isIntOrNull);
  const x = column(r, 'x', nRuns, isIntOrNull);
  const w = column(r, 'w', nRuns, isStrOrNull);
  const e = column(r, 'e', nRuns, isStrOrNull);
  const h = column(r, 'h', nRuns, isStrOrNull);
  const n = column(r, 'n', nRuns, isStrOrNull);
  const l = column(r, 'l', nRuns, isStrOrNull);
  const o = column(r, 'o', nRuns, isStr);
  const runs: SyncRun[] = [];
  let at = 0;
  for (let i = 0; i < nRuns; i++) {
    at += a[i]!;
    if (!Number.isSafeInteger(at)) fail('a start time out of range');
    runs.push({
      uid: runUids[i]!,
      command: c[i]!,
      startedAt: at,
      durationMs: d[i]!,
      exit: x[i]!,
      cwd: w[i]!,
      session: e[i]!,
      host: h[i]!,
      user: n[i]!,
      shell: l[i]!,
      source: o[i]!,
    });
  }
  const tombUids = uids(t.u, nTomb);
  const texts = column(t, 't', nTomb, isStrOrNull);
  const ats = column(t, 'a', nTomb, isInt);
  const tombstones: SyncTombstone[] = [];
  for (let i = 0; i < nTomb; i++) {
    const kind = kinds[i] === 'd' ? 'delete' : kinds[i] === 'r' ? 'redact' : fail('an unknown tombstone kind');
    if (kind === 'redact' && texts[i] === null) fail('a redaction without its text');
    tombstones.push({ uid: tombUids[i]!, kind, text: kind === 'delete' ? null : texts[i]!, at: ats[i]! });
  }
  return { hostName: top.host as string, runs, tombstones, settings };
}

function decodeSettings(v: unknown): SyncSettings {
  const o = obj(v, 'settings');
  const extra = o.extraSecrets;
  if (!isInt(o.at) || typeof o.defaultSecrets !== 'boolean' || (o.secretAction !== 'redact' && o.secretAction !== 'drop'))
    fail('settings of the wrong shape');
  if (!Array.isArray(extra) || extra.length > 1000 || !extra.every(isStr)) fail('secret patterns of the wrong shape');
  return {
    at: o.at as number,
    defaultSecrets: o.defaultSecrets as boolean,
    extraSecrets: extra as string[],
    secretAction: o.secretAction as 'redact' | 'drop',
  };
}
