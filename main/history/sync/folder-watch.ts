// Watching a synced folder for other machines' segments: `lanyard/` (a new machine's folder appears) and each
// machine's folder (a segment lands). Not `fs.watch(…, { recursive: true })`: on Linux Node builds that from one
// watcher per folder and its unref() leaves them holding the process, so every CLI command that loads History
// (whose in-process host runs auto-sync) would never exit once the folder held a segment.
import { type FSWatcher, readdirSync, watch } from 'node:fs';
import path from 'node:path';

/** Calls `changed` on any change in `base` or a folder directly in it; never keeps the process alive. Throws when `base` is missing. */
export function watchSegmentFolders(base: string, changed: () => void): { close(): void } {
  const watchers = new Map<string, FSWatcher>();
  const add = (dir: string) => {
    if (watchers.has(dir)) return;
    try {
      const w = watch(dir, changed);
      w.unref();
      w.on('error', () => undefined);
      watchers.set(dir, w);
    } catch (error) {
      if (dir === base) throw error;
      // A file, or gone meanwhile: nothing to watch in it.
    }
  };
  const scan = () => {
    for (const entry of readdirSync(base, { withFileTypes: true })) if (entry.isDirectory()) add(path.join(base, entry.name));
  };
  add(base);
  watchers.get(base)!.on('change', () => {
    try {
      scan(); // a machine that just joined
    } catch {
      // base gone: the periodic sync still runs, and auto-sync's refresh starts again
    }
  });
  scan();
  return {
    close() {
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}
