// Which Compose CLI is installed: `docker compose` (v2, a docker CLI plugin) first, else `docker-compose`
// (v1 in Debian, or v2's standalone binary). Asked once per service host.
import { execFile } from 'node:child_process';
import { which } from '../../system/which.ts';

export type ComposeCli = ['docker', 'compose'] | ['docker-compose'];

let cached: Promise<ComposeCli | null> | null = null;

function pluginAnswers(docker: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(docker, ['compose', 'version'], { env, timeout: 5000 }, (error) => resolve(!error));
  });
}

export function composeCli(env: NodeJS.ProcessEnv): Promise<ComposeCli | null> {
  cached ??= (async () => {
    const docker = which('docker', env);
    if (docker && (await pluginAnswers(docker, env))) return ['docker', 'compose'] as ComposeCli;
    return which('docker-compose', env) ? (['docker-compose'] as ComposeCli) : null;
  })();
  return cached;
}
