// The sync bench's history: a plausible mix of commands, sessions and folders, the same for a given count.
import type { RunRecord } from '../../main/history/store.ts';
import { seededRandom } from '../unit/history/random-history.ts';

/** A plausible mix: ~20 % distinct commands drawn with a skew, sessions of ~50 commands, seconds to minutes apart. */
export function benchHistory(n: number): RunRecord[] {
  const rand = seededRandom(15);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const word = () => pick(['api', 'web', 'core', 'auth', 'db', 'cache', 'worker', 'cli', 'ui', 'infra', 'docs', 'tests']);
  const file = () =>
    `${pick(['src', 'lib', 'test', 'cmd'])}/${word()}/${word()}${Math.floor(rand() * 90)}.${pick(['ts', 'go', 'py', 'md'])}`;
  const makers: (() => string)[] = [
    () => `git ${pick(['status', 'diff', 'log --oneline', 'pull', 'push', 'stash'])}`,
    () => `git checkout ${pick(['feature', 'fix'])}/${word()}-${Math.floor(rand() * 5000)}`,
    () => `git commit -m "${pick(['fix', 'add', 'update'])} ${word()} ${word()} ${Math.floor(rand() * 1000)}"`,
    () => `vim ${file()}`,
    () => `cd ~/src/${word()}/${word()}`,
    () => `kubectl get pods --namespace ${word()}-${pick(['dev', 'staging', 'prod'])} -l app=${word()}`,
    () => `docker exec -it ${Math.floor(rand() * 0xfffffff).toString(16)} sh`,
    () => `npm run ${pick(['build', 'test', 'lint', 'dev'])}`,
    () => `grep -rn "${word()}${Math.floor(rand() * 500)}" ${file()}`,
    () => `ssh ${pick(['deploy', 'root'])}@${word()}-${Math.floor(rand() * 200)}.example.net`,
    () => `make -C ${word()} ${pick(['all', 'test', 'clean'])}`,
  ];
  const distinct = Array.from({ length: Math.max(10, Math.round(n / 5)) }, () => pick(makers)());
  const out: RunRecord[] = [];
  let at = 1_700_000_000_000;
  let session = '';
  let cwd = '/home/me';
  for (let i = 0; i < n; i++) {
    if (i % 50 === 0) session = `s-${Math.floor(rand() * 1e9).toString(36)}`;
    if (rand() < 0.1) cwd = `/home/me/src/${word()}`;
    at += 1000 + Math.floor(rand() * 120_000);
    const command = distinct[Math.floor(distinct.length * rand() ** 3)]!;
    out.push({
      command,
      startedAt: at,
      durationMs: Math.floor(rand() * 3000),
      exit: rand() < 0.9 ? 0 : 1,
      cwd,
      session,
      host: 'laptop',
      user: 'me',
      shell: 'zsh',
      source: 'hook',
      dedupe: `h:${session}:${at}`,
    });
  }
  return out;
}
