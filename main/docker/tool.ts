// Docker's front door: its service (cheats run in Terminal's tabs), `lanyard docker` help and its Doctor check.
import type { ToolDefinition } from '../system/define-tool.ts';
import type { RunResult } from '../system/run.ts';

/** Run a docker CLI command (argv[0] is 'docker') as shown to the user: for Certificates' trust in a container. */
export async function runDockerCli(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return (await import('./docker-cli.ts')).runDockerCli(argv, env);
}

export const tool = {
  name: 'docker',
  async load(ctx) {
    // Terminal's public file is imported here, not at the top: this file stays one small module for `lanyard --help`.
    const [{ dockerHandlers }, { createDockerService }, { terminalManager }] = await Promise.all([
      import('./handlers.ts'),
      import('./service.ts'),
      import('../terminal/tool.ts'),
    ]);
    return dockerHandlers(createDockerService({ dataDir: ctx.dataDir.path, env: ctx.env }), await terminalManager(ctx));
  },
  checks: async () => (await import('./checks.ts')).checks,
  checkGroup: { title: 'Docker', blurb: 'The engine the Docker cheats are filled from.' },
  commands: [
    {
      name: 'docker',
      load: () => import('./cli/docker.ts'),
      usage:
        'lanyard docker cheats [QUERY] [--json] | show ID | run ID [--set name=value …] [--dry-run] [--yes] | suggest KIND [--running] | import navi|tldr PATH | engine | engines | use ID|auto | debug CONTAINER | compose [PROJECT [ACTION]]',
      summary: 'Docker cheats filled from the live engine, a debug shell into any container, Compose projects, engines',
      details: [
        'The engine is found as the docker CLI finds it (DOCKER_HOST, DOCKER_CONTEXT, the current context), unless one was',
        'picked (here with `use`, or in the Docker view). unix://, tcp:// (TLS verified), ssh://user@host[:port] and Podman.',
        '',
        '  cheats [QUERY] [--json]   list the cheats, best fuzzy match first',
        '  show ID                   a cheat, its placeholders and the values you used last',
        '  run ID --set name=value   fill the placeholders, run the command and exit with its code',
        '      --dry-run             print the exact command line instead of running it',
        '      --yes                 run a dangerous cheat (rm, prune…) without asking',
        '  suggest KIND [--running]  values the engine offers: container, image, volume, network, context',
        '  import navi|tldr PATH     add navi .cheat files or tldr pages (a file or folder) to your cheats',
        '  engine [--json]           where the engine is and whether it answers',
        '  engines [--json]          every engine there is: DOCKER_HOST, each context, Podman sockets (* = in use)',
        '  use ID|auto               use that engine from now on (kept); auto: as the docker CLI finds it',
        '  debug CONTAINER           a shell beside any container, even one without a shell: a toolbox container',
        '      [--image IMAGE]       (busybox or alpine already on the engine; never pulled) in its PID, network',
        '      [--dry-run]           and IPC namespaces, its files under /target; a stopped one is snapshotted',
        '  compose [PROJECT [up|down|restart|logs|ps]] [--dry-run] [--yes]',
        "                            Compose projects on the engine; a project's files, profiles and actions",
        '',
        'Values are quoted for the shell that runs the line (sh; Windows PowerShell on Windows): a value stays one argument.',
      ].join('\n'),
    },
  ],
} satisfies ToolDefinition<'docker'>;
