// A path as a person types it: `~` and `~/…` are their home folder. A shell expands them only at a word's start,
// so `--folder=~/Sync` (or a path typed into the app) arrives with the tilde, and path.resolve would make a folder
// named `~` in the current one.
import path from 'node:path';

export function resolveUserPath(typed: string, home: string): string {
  return typed === '~' || typed.startsWith('~/') ? path.join(home, typed.slice(1)) : path.resolve(typed);
}
