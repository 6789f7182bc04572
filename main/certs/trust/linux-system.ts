// The Linux system store, in the flavour the machine has (first existing anchors folder wins, as mkcert does).
// The filesystem root is injectable so tests run the real update-ca-certificates in a tree they own.
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { which } from '../../system/which.ts';
import { fileInside, safeBasename } from '../safe-name.ts';
import type { Command, Status, TrustedRoot, TrustStore } from './store.ts';

interface Flavour {
  name: string;
  anchors: string;
  extension: string;
  update: string[];
  /** The bundle the update writes, where verification looks for the root. */
  bundle: string;
}

const flavours: Flavour[] = [
  {
    name: 'Fedora/RHEL',
    anchors: '/etc/pki/ca-trust/source/anchors',
    extension: '.pem',
    update: ['update-ca-trust', 'extract'],
    bundle: '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  },
  {
    name: 'Debian/Ubuntu',
    anchors: '/usr/local/share/ca-certificates',
    extension: '.crt',
    update: ['update-ca-certificates'],
    bundle: '/etc/ssl/certs/ca-certificates.crt',
  },
  {
    name: 'Arch',
    anchors: '/etc/ca-certificates/trust-source/anchors',
    extension: '.crt',
    update: ['trust', 'extract-compat'],
    bundle: '/etc/ca-certificates/extracted/tls-ca-bundle.pem',
  },
  {
    name: 'openSUSE',
    anchors: '/usr/share/pki/trust/anchors',
    extension: '.pem',
    update: ['update-ca-certificates'],
    bundle: '/var/lib/ca-certificates/ca-bundle.pem',
  },
];

function pemBody(pem: string): string {
  return pem.replace(/-----[^-]+-----|\s/g, '');
}

export interface LinuxSystemOptions {
  /** Filesystem root; '/' on a real machine. */
  root: string;
  env: NodeJS.ProcessEnv;
}

export function linuxSystemStore(options: LinuxSystemOptions): TrustStore {
  const at = (p: string) => path.join(options.root, p);
  const flavour = () => flavours.find((f) => existsSync(at(f.anchors))) ?? null;
  // By full path: the update tools live in /usr/sbin, which a user's PATH (and so execFile's lookup) may lack.
  const findTool = (name: string) => which(name, { PATH: `${options.env.PATH ?? ''}:/usr/sbin:/sbin` });
  // The name carries the CA's own organization: a safe basename, and the file checked to stay in the anchors folder.
  const fileFor = (f: Flavour, root: TrustedRoot) => fileInside(at(f.anchors), safeBasename(root.name) + f.extension);
  const writable = (dir: string) => {
    try {
      accessSync(dir, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  };

  /** Debian's tool takes its folders as flags, which is what lets a test tree stand in for '/'. */
  function updateCommand(f: Flavour, removing: boolean): Command {
    const [tool, ...rest] = f.update;
    const argv = [findTool(tool!) ?? tool!, ...rest];
    // Debian's tool leaves the removed root's hash links dangling unless it starts afresh.
    if (removing && f.name === 'Debian/Ubuntu') argv.push('--fresh');
    if (options.root !== '/' && f.name === 'Debian/Ubuntu') {
      argv.push(
        '--certsconf',
        at('/etc/ca-certificates.conf'),
        '--certsdir',
        at('/usr/share/ca-certificates'),
        '--localcertsdir',
        at(f.anchors),
        '--etccertsdir',
        at('/etc/ssl/certs'),
        '--hooksdir',
        at('/etc/ca-certificates/update.d'),
      );
    }
    return { argv, privileged: !writable(at(path.dirname(f.bundle))) };
  }

  return {
    id: 'system',
    label: 'System store',
    async unavailable() {
      const f = flavour();
      if (!f) return 'No known system trust store folder here (Debian, Fedora, Arch or openSUSE layout).';
      if (!findTool(f.update[0]!)) return `${f.update[0]} is not installed.`;
      return null;
    },
    async locations() {
      const f = flavour();
      return f ? [`${at(f.anchors)} (${f.name})`] : [];
    },
    async status(root: TrustedRoot): Promise<Status> {
      const f = flavour()!;
      const file = fileFor(f, root);
      const bundle = at(f.bundle);
      const inBundle = existsSync(bundle) && readFileSync(bundle, 'utf8').replace(/\s/g, '').includes(pemBody(root.certPem));
      if (inBundle) return { installed: true, present: true, detail: `In ${bundle}.` };
      if (existsSync(file))
        return {
          installed: false,
          present: true,
          detail: `${file} is there but the bundle has not been updated; run ${f.update.join(' ')}.`,
        };
      return { installed: false, present: false, detail: 'Not installed.' };
    },
    async install(root: TrustedRoot) {
      const plan: Command[] = [];
      const f = flavour()!;
      const dir = at(f.anchors);
      plan.push({ argv: ['install', '-m', '0644', root.certFile, fileFor(f, root)], privileged: !writable(dir) });
      plan.push(updateCommand(f, false));
      return plan;
    },
    async uninstall(root: TrustedRoot) {
      const plan: Command[] = [];
      const f = flavour()!;
      const file = fileFor(f, root);
      if (existsSync(file)) plan.push({ argv: ['rm', '-f', file], privileged: !writable(path.dirname(file)) });
      plan.push(updateCommand(f, true));
      return plan;
    },
  };
}
