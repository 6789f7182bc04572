// The context-aware Up-arrow's list (atuin's filter_mode_shell_up_key_binding, as one walk): the commands run in
// this directory, newest first, then the rest of this session's, then everything else; each command once, only
// those starting with what is already typed (case-sensitive, as the shell's own prefix search).
import type { SearchQuery } from '../history/contract.ts';
import type { HistoryService } from './service.ts';

export interface RecallQuery {
  /** What is typed on the line already. */
  prefix: string;
  cwd: string;
  session: string | null;
  /** How many commands the shell keeps for one walk. */
  limit: number;
}

export function recallList(search: HistoryService['search'], q: RecallQuery): string[] {
  const tiers: Partial<SearchQuery>[] = [{ cwd: q.cwd, below: false }, ...(q.session ? [{ session: q.session }] : []), {}];
  const seen = new Set<string>();
  const list: string[] = [];
  for (const tier of tiers) {
    if (list.length >= q.limit) break;
    const { rows } = search({ query: q.prefix, mode: 'prefix', below: true, group: 'command', limit: q.limit, ...tier });
    for (const { command } of rows) {
      // The shell reads the list NUL-separated: a command holding NUL could not be put on its line anyway.
      if (!command.startsWith(q.prefix) || command.includes('\0') || seen.has(command)) continue;
      seen.add(command);
      list.push(command);
    }
  }
  return list.slice(0, q.limit);
}
