// Java's cacerts, through keytool: $JAVA_HOME's, else the JDK the keytool on PATH belongs to.
import { accessSync, constants, existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { which } from '../../system/which.ts';
import type { Command, Runner, Status, TrustedRoot, TrustStore } from './store.ts';

export interface JavaOptions {
  env: NodeJS.ProcessEnv;
}

function javaHome(env: NodeJS.ProcessEnv): string | null {
  if (env.JAVA_HOME) return env.JAVA_HOME;
  const keytool = which('keytool', env);
  return keytool ? path.dirname(path.dirname(realpathSync(keytool))) : null;
}

function cacertsIn(home: string): string | null {
  return (
    [path.join(home, 'lib', 'security', 'cacerts'), path.join(home, 'jre', 'lib', 'security', 'cacerts')].find((f) => existsSync(f)) ?? null
  );
}

export function javaStore(options: JavaOptions): TrustStore {
  const keytool = () => {
    const home = javaHome(options.env);
    const bundled = home ? path.join(home, 'bin', process.platform === 'win32' ? 'keytool.exe' : 'keytool') : null;
    return bundled && existsSync(bundled) ? bundled : which('keytool', options.env);
  };
  const cacerts = () => {
    const home = javaHome(options.env);
    return home ? cacertsIn(home) : null;
  };
  const writable = (file: string) => {
    try {
      accessSync(file, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  };
  const store = (file: string) => ['-keystore', file, '-storepass', 'changeit'];
  return {
    id: 'java',
    label: 'Java (keytool)',
    async unavailable() {
      if (!javaHome(options.env)) return 'No Java found (set JAVA_HOME or put keytool on PATH).';
      if (!cacerts()) return `No cacerts under ${javaHome(options.env)}.`;
      if (!keytool()) return 'keytool is not installed.';
      return null;
    },
    async locations() {
      return [cacerts()!];
    },
    async status(root: TrustedRoot, run: Runner): Promise<Status> {
      const result = await run([keytool()!, '-list', ...store(cacerts()!), '-alias', root.name], { timeoutMs: 20_000 });
      return result.code === 0
        ? { installed: true, present: true, detail: `In ${cacerts()}.` }
        : { installed: false, present: false, detail: 'Not installed.' };
    },
    async install(root: TrustedRoot) {
      const plan: Command[] = [];
      const file = cacerts()!;
      plan.push({
        argv: [keytool()!, '-importcert', '-noprompt', ...store(file), '-file', root.certFile, '-alias', root.name],
        privileged: !writable(file),
      });
      return plan;
    },
    async uninstall(root: TrustedRoot) {
      const plan: Command[] = [];
      const file = cacerts()!;
      plan.push({ argv: [keytool()!, '-delete', ...store(file), '-alias', root.name], privileged: !writable(file) });
      return plan;
    },
  };
}
