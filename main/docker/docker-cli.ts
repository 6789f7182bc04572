// The docker CLI run for another tool (Certificates puts its CA into a container with `docker cp` and `docker exec`):
// the same argv the user was shown, against the engine their CLI points at (DOCKER_HOST, the current context).
import { run, type RunResult } from '../system/run.ts';
import { which } from '../system/which.ts';

export function runDockerCli(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  const [program, ...args] = argv;
  if (program !== 'docker') throw new Error(`Not a docker command: ${argv.join(' ')}`);
  const cli = which('docker', env);
  if (!cli)
    return Promise.resolve({ code: null, stdout: '', stderr: '', failure: 'The docker CLI is not on PATH: install it (Doctor says how).' });
  return run(cli, args, { env, timeoutMs: 60_000 });
}
