// Docker's front door: its service (cheats run in Terminal's tabs), `lanyard docker` help and its Doctor check.
import type { ToolDefinition } from '../system/define-tool.ts';

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
        'lanyard docker cheats [QUERY] [--json] | show ID | run ID [--set name=value …] [--dry-run] [--yes] | suggest KIND [--running] | import navi|tldr PATH | engine',
      summary: 'Docker cheats filled from the live engine: list, show, run or print them',
      details: [
        'The engine is found as the docker CLI finds it (DOCKER_HOST, DOCKER_CONTEXT, the current context).',
        '',
        '  cheats [QUERY] [--json]   list the cheats, best fuzzy match first',
        '  show ID                   a cheat, its placeholders and the values you used last',
        '  run ID --set name=value   fill the placeholders, run the command and exit with its code',
        '      --dry-run             print the exact command line instead of running it',
        '      --yes                 run a dangerous cheat (rm, prune…) without asking',
        '  suggest KIND [--running]  values the engine offers: container, image, volume, network, context',
        '  import navi|tldr PATH     add navi .cheat files or tldr pages (a file or folder) to your cheats',
        '  engine [--json]           where the engine is and whether it answers',
        '',
        'Values are quoted for the shell that runs the line (sh; Windows PowerShell on Windows): a value stays one argument.',
      ].join('\n'),
    },
  ],
} satisfies ToolDefinition<'docker'>;
