// Installing and uninstalling the root: the stores that apply on this platform, each command announced
// before it runs (with sudo when it needs root and we are not), every store verified afterwards, and
// whatever failed handed back as commands the user can run themselves.
import os from 'node:os';
import type { StoreId, StoreStatus, TrustEvent } from '../contract.ts';
import { run as runProgram } from '../../system/run.ts';
import { shownCommand } from '../../system/user-shell.ts';
import { javaStore } from './java.ts';
import { linuxSystemStore } from './linux-system.ts';
import { macosStore } from './macos.ts';
import { nssStore } from './nss.ts';
import { statusOf, type Command, type Runner, type TrustedRoot, type TrustStore } from './store.ts';
import { windowsStore } from './windows.ts';

export interface TrustOptions {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
  /** Filesystem root for the Linux system store ('/' on a real machine). */
  systemRoot: string;
  scope: 'system' | 'user';
  runner: Runner;
  /** Running as root / administrator already: privileged commands run as they are. */
  elevated: boolean;
  /** A terminal is attached, so sudo may ask for a password; otherwise sudo -n fails fast instead of hanging. */
  interactive: boolean;
}

export const realRunner: Runner = (argv, options) => runProgram(argv[0]!, argv.slice(1), { timeoutMs: options.timeoutMs });

export function defaultTrustOptions(env: NodeJS.ProcessEnv): TrustOptions {
  return {
    platform: process.platform,
    env,
    home: env.HOME || os.homedir(),
    systemRoot: '/',
    scope: 'system',
    runner: realRunner,
    elevated: process.getuid?.() === 0,
    interactive: process.stdin.isTTY === true,
  };
}

export function storesFor(options: TrustOptions): TrustStore[] {
  const nss = nssStore({ home: options.home, env: options.env, platform: options.platform });
  const java = javaStore({ env: options.env });
  if (options.platform === 'darwin') return [macosStore({ scope: options.scope, home: options.home }), nss, java];
  if (options.platform === 'win32') return [windowsStore({ scope: options.scope }), java];
  return [linuxSystemStore({ root: options.systemRoot, env: options.env }), nss, java];
}

function elevate(command: Command, options: TrustOptions): string[] {
  if (!command.privileged || options.elevated || options.platform === 'win32') return command.argv;
  return ['sudo', ...(options.interactive ? [] : ['-n']), '--', ...command.argv];
}

export async function trustStatuses(stores: readonly TrustStore[], root: TrustedRoot | null, runner: Runner): Promise<StoreStatus[]> {
  return Promise.all(stores.map((s) => statusOf(s, root, runner)));
}

export async function changeTrust(
  action: 'install' | 'uninstall',
  stores: readonly TrustStore[],
  root: TrustedRoot,
  options: TrustOptions,
  emit: (event: TrustEvent) => void,
  only?: readonly StoreId[],
): Promise<void> {
  const manual: string[] = [];
  const statuses: StoreStatus[] = [];
  let ok = true;
  const chosen = stores.filter((s) => !only || only.includes(s.id));
  for (const store of chosen) {
    const before = await statusOf(store, root, options.runner);
    if (!before.available) {
      emit({ type: 'store', status: before, ok: only === undefined, detail: `Skipped: ${before.detail}` });
      statuses.push(before);
      if (only) ok = false;
      continue;
    }
    const plan = action === 'install' ? (before.installed ? [] : await store.install(root)) : await store.uninstall(root, options.runner);
    let failedAt = -1;
    for (const [i, command] of plan.entries()) {
      const argv = elevate(command, options);
      const display = shownCommand(argv, options.env);
      emit({ type: 'command', store: store.id, command: display, privileged: command.privileged });
      const result = await options.runner(argv, { timeoutMs: command.privileged && options.interactive ? 120_000 : 60_000 });
      const output = (result.failure ?? `${result.stdout}${result.stderr}`).trim();
      emit({ type: 'result', store: store.id, command: display, ok: result.code === 0, output });
      if (result.code !== 0) {
        failedAt = i;
        break;
      }
    }
    if (failedAt >= 0)
      manual.push(
        ...plan
          .slice(failedAt)
          .map((c) =>
            shownCommand(
              c.privileged && !options.elevated && options.platform !== 'win32' ? ['sudo', '--', ...c.argv] : c.argv,
              options.env,
            ),
          ),
      );
    const after = await statusOf(store, root, options.runner);
    const done = action === 'install' ? after.installed === true : after.installed === false;
    const detail = done
      ? action === 'install'
        ? 'Installed and verified.'
        : 'Removed and verified.'
      : failedAt >= 0
        ? 'A command failed; run the commands below yourself.'
        : `Verification failed: ${after.detail}`;
    if (!done) ok = false;
    statuses.push(after);
    emit({ type: 'store', status: after, ok: done, detail });
  }
  emit({ type: 'done', ok, stores: statuses, manual });
}
