// Doctor's checks for captures: Wireshark, its command-line parts, and the personal extcap folder Lanyard plugs into.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Fact } from '../contract/index.ts';
import type { CheckDefinition } from '../system/define-tool.ts';
import { run } from '../system/run.ts';
import { check, simpleTool } from '../system/tool-check.ts';
import { which } from '../system/which.ts';
import { extcapLauncherName, personalExtcapFolder } from './extcap-folder.ts';
import { udpReceivePath } from './udp-receive.ts';

const tsharkVersion = /\(Wireshark\) (\d+\.\d+\.\d+)/;
const wireshark = simpleTool(
  {
    id: 'wireshark',
    name: 'Wireshark',
    purpose: 'shows live captures',
    hint: {
      debian: 'sudo apt install wireshark',
      fedora: 'sudo dnf install wireshark',
      macos: 'brew install --cask wireshark',
      windows: 'winget install WiresharkFoundation.Wireshark',
    },
  },
  'wireshark',
  ['--version'],
  /Wireshark\)? ?(\d+\.\d+\.\d+)/,
);
const tshark = simpleTool(
  {
    id: 'tshark',
    name: 'TShark',
    purpose: 'reads captures on the command line',
    hint: {
      debian: 'sudo apt install tshark',
      fedora: 'sudo dnf install wireshark-cli',
      macos: 'brew install wireshark',
      windows: 'winget install WiresharkFoundation.Wireshark (includes TShark)',
    },
  },
  'tshark',
  ['--version'],
  tsharkVersion,
);
const dumpcap = simpleTool(
  {
    id: 'dumpcap',
    name: 'dumpcap',
    purpose: 'Wireshark’s capture engine',
    hint: {
      debian: 'sudo apt install wireshark-common',
      fedora: 'sudo dnf install wireshark-cli',
      macos: 'brew install wireshark',
      windows: 'winget install WiresharkFoundation.Wireshark (includes dumpcap)',
    },
  },
  'dumpcap',
  ['--version'],
  /\(Wireshark\) (\d+\.\d+\.\d+)/,
);

const extcap = check(
  { id: 'extcap', name: 'Wireshark extcap folder', purpose: 'where “Lanyard TZSP” plugs into Wireshark', hint: null },
  async (env, probe) => {
    const tsharkPath = which('tshark', env);
    let folders: string | null = null;
    let version: string | null = null;
    if (tsharkPath) {
      const [listing, asked] = await Promise.all([
        run(tsharkPath, ['-G', 'folders'], { timeoutMs: 15_000 }),
        probe(tsharkPath, ['--version'], tsharkVersion),
      ]);
      folders = listing.failure ? null : listing.stdout;
      version = asked.version;
    }
    const folder = personalExtcapFolder(folders, version, env);
    const launcher = path.join(folder.path, extcapLauncherName);
    const installed = existsSync(launcher);
    const facts: Fact[] = [
      { label: 'Folder', value: folder.path },
      { label: 'Found by', value: folder.source },
      { label: 'Lanyard TZSP', value: installed ? `installed (${launcher})` : 'not installed' },
    ];
    if (!tsharkPath && !which('wireshark', env))
      return {
        status: 'missing',
        version: null,
        path: folder.path,
        detail: 'Wireshark is not installed, so there is no extcap folder to use.',
        facts,
      };
    return {
      status: 'ok',
      version: null,
      path: folder.path,
      detail: existsSync(folder.path)
        ? `Personal extcap folder ${folder.path}${installed ? ', Lanyard TZSP installed' : ''}.`
        : `Personal extcap folder ${folder.path} (not created yet).`,
      facts,
    };
  },
);

/** Which way TZSP and HEP datagrams are read; Node's dgram costs about twice the CPU per packet. */
const udpReceive = check(
  {
    id: 'udp-receive',
    name: 'UDP receive path',
    purpose: 'how TZSP and HEP datagrams are read',
    hint: {
      debian: 'sudo apt install g++ make python3, then npm run build',
      fedora: 'sudo dnf install gcc-c++ make python3, then npm run build',
      macos: 'Linux only (recvmmsg)',
      windows: 'Linux only (recvmmsg)',
    },
  },
  async (env) => {
    const { path: chosen, why } = udpReceivePath(env);
    // Elsewhere dgram is the only way: nothing to fix.
    return chosen === 'batch' || process.platform !== 'linux'
      ? { status: 'ok', version: null, path: null, detail: chosen === 'batch' ? `Batches: ${why}.` : `Node dgram (${why}).` }
      : { status: 'warn', version: null, path: null, detail: `Node dgram, one datagram per call (${why}).` };
  },
);

export const checks: readonly CheckDefinition[] = [wireshark, tshark, dumpcap, extcap, udpReceive];
