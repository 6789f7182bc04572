// One function per outside tool Lanyard uses. Each returns a ToolCheck and never throws.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { ToolCheck, ToolGroup, Fact } from '../contract/index.ts';
import { extcapLauncherName, personalExtcapFolder } from '../captures/extcap-folder.ts';
import { ServiceError } from '../contract/errors.ts';
import { endpointWarning, resolveDockerEndpoint } from '../docker/endpoint.ts';
import { connectEngine, unreachable } from '../docker/engine.ts';
import { hookInstalled, rcFile, type ShellName } from '../history/rc-files.ts';
import { run } from '../system/run.ts';
import { which } from '../system/which.ts';
import { installHints, type ToolId } from './hints.ts';
import { probeVersion, type VersionProbe } from './version-probe.ts';

export interface CheckDefinition {
  id: ToolId | 'extcap';
  name: string;
  group: ToolGroup;
  purpose: string;
  run(env: NodeJS.ProcessEnv, probe?: VersionProbe): Promise<ToolCheck>;
}

type Outcome = Pick<ToolCheck, 'status' | 'version' | 'path' | 'detail'> & { facts?: Fact[] };

function check(def: Omit<CheckDefinition, 'run'>, examine: (env: NodeJS.ProcessEnv, probe: VersionProbe) => Promise<Outcome>): CheckDefinition {
  return {
    ...def,
    async run(env, probe = probeVersion) {
      let outcome: Outcome;
      try {
        outcome = await examine(env, probe);
      } catch (error) {
        outcome = { status: 'error', version: null, path: null, detail: `The check itself failed: ${error instanceof Error ? error.message : String(error)}` };
      }
      const hint = outcome.status === 'ok' || def.id === 'extcap' ? null : installHints[def.id as ToolId];
      return { id: def.id, name: def.name, group: def.group, purpose: def.purpose, hint, facts: [], ...outcome };
    },
  };
}

const missing = (name: string): Outcome => ({ status: 'missing', version: null, path: null, detail: `${name} was not found on PATH.` });

/** A tool that only needs to be found and asked for its version. */
function simpleTool(def: Omit<CheckDefinition, 'run'>, binary: string, args: string[], pattern?: RegExp): CheckDefinition {
  return check(def, async (env, probe) => {
    const file = which(binary, env);
    if (!file) return missing(binary);
    const { version, failure } = await probe(file, args, pattern);
    if (failure) return { status: 'error', version: null, path: file, detail: `${binary} is installed but did not run: ${failure}` };
    return { status: 'ok', version, path: file, detail: `${binary} ${version ?? '(version unknown)'}` };
  });
}

const docker = check(
  { id: 'docker', name: 'Docker engine', group: 'docker', purpose: 'fills Docker cheats from the live engine' },
  async (env) => {
    const cli = which('docker', env);
    const cliFact: Fact = { label: 'docker CLI', value: cli ?? 'not found' };
    let endpoint;
    try {
      endpoint = resolveDockerEndpoint(env);
    } catch (error) {
      return { status: 'error', version: null, path: cli, detail: (error as Error).message, facts: [cliFact] };
    }
    const facts: Fact[] = [
      { label: 'Endpoint', value: endpoint.host },
      { label: 'Resolved from', value: endpoint.source },
      ...(endpoint.context ? [{ label: 'Context', value: endpoint.context }] : []),
      cliFact,
    ];
    try {
      const { engineVersion, engineApiVersion } = await connectEngine(endpoint).probe();
      facts.push({ label: 'API version', value: engineApiVersion });
      const reached = `Engine ${engineVersion} reachable at ${endpoint.host} (API ${engineApiVersion}).`;
      const warning = endpointWarning(endpoint);
      if (warning) return { status: 'warn', version: engineVersion, path: cli, detail: `${reached} Insecure: ${warning}`, facts: [...facts, { label: 'Security', value: 'plain TCP, no TLS' }] };
      return { status: 'ok', version: engineVersion, path: cli, detail: reached, facts: endpoint.tls ? [...facts, { label: 'Security', value: `TLS, verified (${endpoint.tls.dir})` }] : facts };
    } catch (error) {
      if (!cli && endpoint.source === 'default') return { ...missing('docker'), detail: `No Docker CLI on PATH and no engine at ${endpoint.host}.`, facts };
      const problem = error instanceof ServiceError ? error : unreachable(endpoint, error);
      return { status: 'warn', version: null, path: cli, detail: `Engine not reachable: ${problem.message}${problem.hint ? ` ${problem.hint}` : ''}`, facts };
    }
  },
);

const tsharkVersion = /\(Wireshark\) (\d+\.\d+\.\d+)/;
const wireshark = simpleTool({ id: 'wireshark', name: 'Wireshark', group: 'captures', purpose: 'shows live captures' }, 'wireshark', ['--version'], /Wireshark\)? ?(\d+\.\d+\.\d+)/);
const tshark = simpleTool({ id: 'tshark', name: 'TShark', group: 'captures', purpose: 'reads captures on the command line' }, 'tshark', ['--version'], tsharkVersion);
const dumpcap = simpleTool({ id: 'dumpcap', name: 'dumpcap', group: 'captures', purpose: 'Wireshark’s capture engine' }, 'dumpcap', ['--version'], /\(Wireshark\) (\d+\.\d+\.\d+)/);

const extcap = check(
  { id: 'extcap', name: 'Wireshark extcap folder', group: 'captures', purpose: 'where “Lanyard TZSP” plugs into Wireshark' },
  async (env, probe) => {
    const tsharkPath = which('tshark', env);
    let folders: string | null = null;
    let version: string | null = null;
    if (tsharkPath) {
      const [listing, asked] = await Promise.all([run(tsharkPath, ['-G', 'folders'], { timeoutMs: 15_000 }), probe(tsharkPath, ['--version'], tsharkVersion)]);
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
    if (!tsharkPath && !which('wireshark', env)) return { status: 'missing', version: null, path: folder.path, detail: 'Wireshark is not installed, so there is no extcap folder to use.', facts };
    return {
      status: 'ok',
      version: null,
      path: folder.path,
      detail: existsSync(folder.path) ? `Personal extcap folder ${folder.path}${installed ? ', Lanyard TZSP installed' : ''}.` : `Personal extcap folder ${folder.path} (not created yet).`,
      facts,
    };
  },
);

const certutil = check(
  { id: 'certutil', name: 'certutil (NSS)', group: 'certificates', purpose: 'trusts the local CA in Chromium and Firefox' },
  async (env) => {
    const file = which('certutil', env);
    if (!file) return missing('certutil');
    // NSS's certutil has no --version: ask the package manager that installed it.
    const dpkg = which('dpkg-query', env) ? await run('dpkg-query', ['-W', '-f', '${Version}', 'libnss3-tools'], { timeoutMs: 3000 }) : null;
    const rpm = !dpkg && which('rpm', env) ? await run('rpm', ['-q', '--qf', '%{VERSION}', 'nss-tools'], { timeoutMs: 3000 }) : null;
    const raw = (dpkg?.code === 0 ? dpkg.stdout : rpm?.code === 0 ? rpm.stdout : '').trim();
    const version = raw ? raw.replace(/^\d+:/, '').replace(/-.*$/, '') : null;
    return { status: 'ok', version, path: file, detail: version ? `NSS tools ${version}` : 'certutil found (version not reported)' };
  },
);

const openssl = simpleTool({ id: 'openssl', name: 'OpenSSL', group: 'certificates', purpose: 'checks certificates and serves as a peer' }, 'openssl', ['version'], /(?:OpenSSL|LibreSSL) (\S+)/);

const keytool = check(
  { id: 'keytool', name: 'keytool (Java)', group: 'certificates', purpose: 'trusts the local CA in Java' },
  async (env) => {
    const file = which('keytool', env);
    if (!file) return missing('keytool');
    // Reading the JDK's `release` file is instant; starting a JVM to ask is not.
    const javaHome = env.JAVA_HOME || path.dirname(path.dirname(realpathSync(file)));
    let version: string | null = null;
    try {
      version = /^JAVA_VERSION="([^"]+)"/m.exec(readFileSync(path.join(javaHome, 'release'), 'utf8'))?.[1] ?? null;
    } catch {
      // no release file: version stays unknown
    }
    const cacerts = path.join(javaHome, 'lib', 'security', 'cacerts');
    return {
      status: 'ok',
      version,
      path: file,
      detail: `Java ${version ?? '(version unknown)'} at ${javaHome}`,
      facts: [
        { label: 'JAVA_HOME', value: env.JAVA_HOME ? env.JAVA_HOME : `${javaHome} (from keytool's location)` },
        { label: 'cacerts', value: existsSync(cacerts) ? cacerts : `${cacerts} (missing)` },
      ],
    };
  },
);

function shell(id: ShellName, name: string, pattern: RegExp, minimum?: [number, number]): CheckDefinition {
  return check({ id, name, group: 'shells', purpose: 'history capture' }, async (env, probe) => {
    const file = which(id, env);
    if (!file) return missing(id);
    const { version, failure } = await probe(file, ['--version'], pattern);
    const installed = hookInstalled(id, env);
    const facts: Fact[] = [{ label: 'History hook', value: installed ? `installed in ${rcFile(id, env)}` : `not installed (${rcFile(id, env)})` }];
    if (failure) return { status: 'error', version: null, path: file, detail: `${id} did not run: ${failure}`, facts };
    const [major = 0, minor = 0] = (version ?? '').split('.').map(Number);
    if (minimum && version && (major < minimum[0] || (major === minimum[0] && minor < minimum[1]))) {
      return { status: 'warn', version, path: file, detail: `${id} ${version} is too old for the history hook (needs ${minimum.join('.')}+).`, facts };
    }
    return { status: 'ok', version, path: file, detail: `${id} ${version ?? ''}, history hook ${installed ? 'installed' : 'not installed'}`, facts };
  });
}

export const checks: CheckDefinition[] = [
  docker,
  wireshark,
  tshark,
  dumpcap,
  extcap,
  certutil,
  openssl,
  keytool,
  shell('bash', 'bash', /version (\d+\.\d+(?:\.\d+)?)/, [4, 4]),
  shell('zsh', 'zsh', /zsh (\d+\.\d+(?:\.\d+)?)/),
  shell('fish', 'fish', /version (\d+\.\d+(?:\.\d+)?)/),
];
