// The Windows Root store through certutil: the current user's (no elevation) or the machine's (administrator).
import type { Command, Runner, Status, TrustedRoot, TrustStore } from './store.ts';

export interface WindowsOptions {
  scope: 'system' | 'user';
}

export function windowsStore(options: WindowsOptions): TrustStore {
  const user = options.scope === 'user' ? ['-user'] : [];
  const privileged = options.scope === 'system';
  return {
    id: 'windows',
    label: options.scope === 'user' ? 'Windows Root store (current user)' : 'Windows Root store (machine)',
    async unavailable() {
      return null;
    },
    async locations() {
      return [options.scope === 'user' ? 'CurrentUser\\Root' : 'LocalMachine\\Root'];
    },
    async status(root: TrustedRoot, run: Runner): Promise<Status> {
      const result = await run(['certutil', ...user, '-verifystore', 'Root', root.serialHex], { timeoutMs: 10_000 });
      return result.code === 0
        ? { installed: true, present: true, detail: 'In the Root store.' }
        : { installed: false, present: false, detail: 'Not installed.' };
    },
    async install(root: TrustedRoot) {
      const plan: Command[] = [];
      plan.push({ argv: ['certutil', ...user, '-addstore', 'Root', root.certFile], privileged });
      return plan;
    },
    async uninstall(root: TrustedRoot) {
      const plan: Command[] = [];
      plan.push({ argv: ['certutil', ...user, '-delstore', 'Root', root.serialHex], privileged });
      return plan;
    },
  };
}
