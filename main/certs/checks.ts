// Doctor's checks for certificates: the programs that trust the local CA (NSS, Java) and OpenSSL as a peer.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { CheckDefinition } from '../system/define-tool.ts';
import { run } from '../system/run.ts';
import { check, missing, simpleTool } from '../system/tool-check.ts';
import { which } from '../system/which.ts';

const certutil = check(
  {
    id: 'certutil',
    name: 'certutil (NSS)',
    purpose: 'trusts the local CA in Chromium and Firefox',
    hint: {
      debian: 'sudo apt install libnss3-tools',
      fedora: 'sudo dnf install nss-tools',
      macos: 'brew install nss',
      windows: 'built into Windows (certutil.exe)',
    },
  },
  async (env) => {
    const file = which('certutil', env);
    if (!file) return missing('certutil');
    // NSS's certutil has no --version: ask the package manager that installed it.
    const dpkg = which('dpkg-query', env)
      ? await run('dpkg-query', ['-W', '-f', '${Version}', 'libnss3-tools'], { timeoutMs: 3000 })
      : null;
    const rpm = !dpkg && which('rpm', env) ? await run('rpm', ['-q', '--qf', '%{VERSION}', 'nss-tools'], { timeoutMs: 3000 }) : null;
    const raw = (dpkg?.code === 0 ? dpkg.stdout : rpm?.code === 0 ? rpm.stdout : '').trim();
    const version = raw ? raw.replace(/^\d+:/, '').replace(/-.*$/, '') : null;
    return { status: 'ok', version, path: file, detail: version ? `NSS tools ${version}` : 'certutil found (version not reported)' };
  },
);

const openssl = simpleTool(
  {
    id: 'openssl',
    name: 'OpenSSL',
    purpose: 'checks certificates and serves as a peer',
    hint: {
      debian: 'sudo apt install openssl',
      fedora: 'sudo dnf install openssl',
      macos: 'brew install openssl@3',
      windows: 'winget install ShiningLight.OpenSSL.Light',
    },
  },
  'openssl',
  ['version'],
  /(?:OpenSSL|LibreSSL) (\S+)/,
);

const keytool = check(
  {
    id: 'keytool',
    name: 'keytool (Java)',
    purpose: 'trusts the local CA in Java',
    hint: {
      debian: 'sudo apt install default-jre-headless',
      fedora: 'sudo dnf install java-21-openjdk-headless',
      macos: 'brew install openjdk',
      windows: 'winget install EclipseAdoptium.Temurin.21.JRE',
    },
  },
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

export const checks: readonly CheckDefinition[] = [certutil, openssl, keytool];
