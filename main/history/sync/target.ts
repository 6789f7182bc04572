// Where segments go: a folder another engine moves (Syncthing, Dropbox, NFS), or a git remote. Each target lays
// them out the same way, `<root>/lanyard/<host id>/<first seq>-<last seq>.seg`, and each host writes only its own
// folder, so no two machines ever write one file. An S3-compatible bucket is one more module: list = ListObjectsV2
// under `lanyard/`, read = GetObject, write = PutObject (atomic by nature), before/after empty.
export interface SegmentRef {
  hostId: string;
  /** The file's name in its host's folder. */
  name: string;
  seqFrom: number;
  seqTo: number;
  /** Its bytes as listed. */
  bytes: number;
  /** When it reached this machine (the local clock, so another machine's skew does not matter). */
  arrivedAt: number;
}

export interface SyncTarget {
  /** For status and messages: the folder, or the remote's URL. */
  readonly label: string;
  /** Before a sync reads: fetch what others wrote (git: pull). */
  before(): Promise<void>;
  /** Every segment of every host; files that are not segments (engines' temp and conflict files) are left out. */
  list(): Promise<SegmentRef[]>;
  read(ref: SegmentRef): Promise<Buffer>;
  /** Add one of this host's segments, whole or not at all. */
  write(hostId: string, seqFrom: number, seqTo: number, data: Uint8Array): Promise<void>;
  /** After a sync wrote: publish (git: commit and push, a rejected push retried after a pull). */
  after(wrote: boolean): Promise<void>;
  /** A folder whose changes mean other hosts wrote (watched for automatic sync), or null. */
  readonly watchDir: string | null;
}

/** A segment file's name; ours pad the numbers so that a listing sorts in order. */
export function segmentName(seqFrom: number, seqTo: number): string {
  return `${String(seqFrom).padStart(12, '0')}-${String(seqTo).padStart(12, '0')}.seg`;
}

const digits = (s: string) => s.length > 0 && s.length <= 16 && [...s].every((c) => c >= '0' && c <= '9');

/** The seq range a file name holds, or null for anything else (`.syncthing.x.tmp`, `x.sync-conflict-….seg`, ours `.tmp`). */
export function parseSegmentName(name: string): { seqFrom: number; seqTo: number } | null {
  if (!name.endsWith('.seg')) return null;
  const parts = name.slice(0, -4).split('-');
  if (parts.length !== 2 || !digits(parts[0]!) || !digits(parts[1]!)) return null;
  const seqFrom = Number(parts[0]);
  const seqTo = Number(parts[1]);
  return seqFrom >= 1 && seqTo >= seqFrom && Number.isSafeInteger(seqTo) ? { seqFrom, seqTo } : null;
}

/** A host id: 16 random bytes, as 32 lowercase hex digits (also its folder's name). */
export function isHostId(name: string): boolean {
  return name.length === 32 && [...name].every((c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
}
