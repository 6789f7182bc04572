// A folder another engine synchronises. Segments land whole (temp file + rename, see system/atomic-file.ts):
// an engine never copies half of one of ours; one still arriving from elsewhere is cut short, fails its
// authentication, and is read again on the next sync.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../system/atomic-file.ts';
import { isHostId, parseSegmentName, segmentName, type SegmentRef, type SyncTarget } from './target.ts';

/** The largest segment read: a writer cuts its segments far below this (engine.ts). */
export const maxSegmentFileBytes = 64 * 1024 * 1024;

export function folderTarget(root: string, label = root): SyncTarget {
  const base = path.join(root, 'lanyard');
  const file = (hostId: string, seqFrom: number, seqTo: number) => path.join(base, hostId, segmentName(seqFrom, seqTo));
  return {
    label,
    watchDir: base,
    async before() {},
    async after() {},
    async list() {
      const refs: SegmentRef[] = [];
      let hosts: string[];
      try {
        hosts = readdirSync(base);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      for (const hostId of hosts.filter(isHostId)) {
        let names: string[];
        try {
          names = readdirSync(path.join(base, hostId));
        } catch {
          continue; // not a folder, or gone meanwhile
        }
        for (const name of names) {
          const range = parseSegmentName(name);
          if (!range) continue;
          const stat = statSync(path.join(base, hostId, name), { throwIfNoEntry: false });
          if (!stat?.isFile()) continue;
          refs.push({ hostId, name, ...range, bytes: stat.size, arrivedAt: Math.round(stat.mtimeMs) });
        }
      }
      return refs;
    },
    async read(ref) {
      const at = path.join(base, ref.hostId, ref.name);
      const size = statSync(at).size;
      if (size > maxSegmentFileBytes) throw new Error(`${at} is ${size} bytes, over the ${maxSegmentFileBytes} a segment may be`);
      return readFileSync(at);
    },
    async write(hostId, seqFrom, seqTo, data) {
      writeFileAtomic(file(hostId, seqFrom, seqTo), data, 0o600);
    },
  };
}
