// Where history keeps its files under the data folder. The shell hooks read the same names.
import path from 'node:path';

export interface HistoryPaths {
  dataDir: string;
  /** Per-session record files the hooks append to. */
  spool: string;
  /** Settings, the paused flag, the secrets pattern file and the installed hook scripts. */
  dir: string;
  settings: string;
  /** Exists while history is paused; the hooks test it with a stat, no fork. */
  pausedFlag: string;
  /** Exists while the context-aware Up-arrow is chosen; the hooks test it at startup. */
  upArrowFlag: string;
  /** The combined secrets pattern the hooks read at startup. */
  secretsPattern: string;
  /** Globs the hooks try first: a command none of them matches skips the (slow to compile) pattern. */
  secretsGlobs: string;
}

export function historyPaths(dataDir: string): HistoryPaths {
  const dir = path.join(dataDir, 'history');
  return {
    dataDir,
    spool: path.join(dataDir, 'spool'),
    dir,
    settings: path.join(dir, 'settings.json'),
    pausedFlag: path.join(dir, 'paused'),
    upArrowFlag: path.join(dir, 'up-arrow'),
    secretsPattern: path.join(dir, 'secrets.ere'),
    secretsGlobs: path.join(dir, 'secrets.globs'),
  };
}
