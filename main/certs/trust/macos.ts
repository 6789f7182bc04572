// macOS keychains through `security`: the System keychain (admin) or the login keychain (user trust).
import os from 'node:os';
import path from 'node:path';
import type { Command, Runner, Status, TrustedRoot, TrustStore } from './store.ts';

export interface MacosOptions {
  scope: 'system' | 'user';
  home?: string;
}

export function macosStore(options: MacosOptions): TrustStore {
  const keychain =
    options.scope === 'system'
      ? '/Library/Keychains/System.keychain'
      : path.join(options.home ?? os.homedir(), 'Library', 'Keychains', 'login.keychain-db');
  const privileged = options.scope === 'system';
  return {
    id: 'macos',
    label: options.scope === 'system' ? 'macOS System keychain' : 'macOS login keychain',
    async unavailable() {
      return null;
    },
    async locations() {
      return [keychain];
    },
    async status(root: TrustedRoot, run: Runner): Promise<Status> {
      // -Z prints each matching certificate's SHA-256 hash: present only if our exact root is in the keychain.
      const found = await run(['security', 'find-certificate', '-a', '-Z', '-c', root.name, keychain], { timeoutMs: 10_000 });
      const present = found.code === 0 && found.stdout.toUpperCase().includes(root.sha256);
      if (!present) return { installed: false, present: false, detail: 'Not installed.' };
      const trusted = await run(['security', 'verify-cert', '-c', root.certFile], { timeoutMs: 10_000 });
      return trusted.code === 0
        ? { installed: true, present, detail: `Trusted in ${keychain}.` }
        : { installed: false, present, detail: 'In the keychain but not trusted.' };
    },
    async install(root: TrustedRoot) {
      const plan: Command[] = [];
      plan.push({
        argv: ['security', 'add-trusted-cert', ...(privileged ? ['-d'] : []), '-r', 'trustRoot', '-k', keychain, root.certFile],
        privileged,
      });
      return plan;
    },
    async uninstall(root: TrustedRoot) {
      const plan: Command[] = [];
      plan.push({ argv: ['security', 'remove-trusted-cert', ...(privileged ? ['-d'] : []), root.certFile], privileged });
      plan.push({ argv: ['security', 'delete-certificate', '-Z', root.sha1, keychain], privileged });
      return plan;
    },
  };
}
