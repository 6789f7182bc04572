// A git remote the user owns, through the user's own git (its ssh keys, credential helpers and config): a clone
// in the data folder holds the segments; a sync fetches and rebases onto the remote's branch, and after writing
// commits this host's new segments and pushes, pulling and retrying when the push is rejected because another
// host pushed first. Hosts add only files in their own folders, so a rebase never conflicts.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { run } from '../../system/run.ts';
import { folderTarget } from './folder-target.ts';
import type { SyncTarget } from './target.ts';

export const gitBranch = 'main';
const pushAttempts = 5;

export class GitError extends Error {}

/** The end of git's stderr, where the cause is: its blank lines dropped, so that ssh's "Connection refused" above
 * git's two-line "Please make sure you have the correct access rights…" is kept. */
function lastLines(stderr: string): string {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-4)
    .join(' ');
}

export function gitTarget(url: string, clone: string, env: NodeJS.ProcessEnv = process.env): SyncTarget {
  const folder = folderTarget(clone, url);
  // Never wait for a password prompt nobody sees: credentials come from the user's helpers and keys.
  const gitEnv = { ...env, GIT_TERMINAL_PROMPT: '0' };
  const git = async (args: string[], timeoutMs = 120_000): Promise<{ code: number | null; out: string; err: string }> => {
    const r = await run('git', ['-C', clone, ...args], { env: gitEnv, timeoutMs });
    if (r.failure) throw new GitError(`git ${args[0]} failed: ${r.failure}`);
    return { code: r.code, out: r.stdout, err: r.stderr };
  };
  const must = async (args: string[]) => {
    const r = await git(args);
    if (r.code !== 0) throw new GitError(`git ${args.join(' ')} failed (${r.code}): ${lastLines(r.err)}`);
    return r.out;
  };
  const ensureClone = async () => {
    if (existsSync(path.join(clone, '.git'))) return;
    mkdirSync(clone, { recursive: true, mode: 0o700 });
    await must(['init', '-q', '-b', gitBranch]);
    await must(['remote', 'add', 'origin', url]);
    // The clone's own identity, so a machine without a global git identity can still commit its segments.
    await must(['config', 'user.name', 'Lanyard history sync']);
    await must(['config', 'user.email', 'history-sync@lanyard.invalid']);
    await must(['config', 'commit.gpgsign', 'false']);
  };
  /** Fetch, and put this clone's commits on top of the remote's (false: the remote has no branch yet). */
  const pullRebase = async (): Promise<boolean> => {
    await must(['fetch', '-q', 'origin']);
    const remote = await git(['rev-parse', '-q', '--verify', `refs/remotes/origin/${gitBranch}`]);
    if (remote.code !== 0) return false;
    const head = await git(['rev-parse', '-q', '--verify', 'HEAD']);
    if (head.code !== 0) await must(['reset', '-q', '--hard', `origin/${gitBranch}`]);
    else await must(['rebase', '-q', `origin/${gitBranch}`]);
    return true;
  };
  const unpushed = async (): Promise<boolean> => {
    if ((await git(['rev-parse', '-q', '--verify', 'HEAD'])).code !== 0) return false;
    const remote = await git(['rev-parse', '-q', '--verify', `refs/remotes/origin/${gitBranch}`]);
    if (remote.code !== 0) return true;
    return (await must(['rev-list', '--count', `origin/${gitBranch}..HEAD`])).trim() !== '0';
  };
  return {
    label: url,
    watchDir: null,
    list: folder.list,
    read: folder.read,
    write: folder.write,
    async before() {
      await ensureClone();
      await pullRebase();
    },
    async after(wrote) {
      if (wrote) {
        await must(['add', '-A', 'lanyard']);
        await must(['commit', '-q', '-m', 'Lanyard history: new segments']);
      }
      if (!(await unpushed())) return;
      for (let attempt = 1; ; attempt++) {
        const pushed = await git(['push', '-q', 'origin', `HEAD:${gitBranch}`]);
        if (pushed.code === 0) return;
        if (attempt === pushAttempts) throw new GitError(`git push to ${url} was refused ${pushAttempts} times: ${lastLines(pushed.err)}`);
        // Rejected: another host pushed first. Their segments are other files; rebase onto them and push again.
        await pullRebase();
      }
    },
  };
}
