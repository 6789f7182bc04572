// The Docker service's Compose methods: a project's details, and an action run in a terminal tab from the
// project's folder.
import type { ShellDialect } from '../../docker/contract.ts';
import type { ComposeAction, ComposeProject } from '../../docker/contract.ts';
import { ServiceError } from '../../contract/errors.ts';
import type { TerminalInfo } from '../../terminal/contract.ts';
import { envCommandLine } from '../../system/shell-quote.ts';
import { commandShell } from '../../system/user-shell.ts';
import type { TerminalManager } from '../../terminal/tool.ts';
import { runCommandInTerminal } from '../run-in-terminal.ts';
import type { DockerService } from '../service.ts';
import { composeCli, composeEnv, noComposeTool } from './cli.ts';
import { composeProject } from './project.ts';

/** The compose tool installed, and the variables it needs on its command line for the engine in use. */
export async function composeTool(docker: DockerService) {
  const cli = await composeCli(docker.env);
  return { cli, env: cli ? composeEnv(cli, await docker.flavour(), docker.engine().endpoint.host) : [] };
}

/** The project with its actions quoted for `dialect` (by default, for the shell a terminal runs them with). */
export async function projectDetails(docker: DockerService, name: string, dialect?: ShellDialect): Promise<ComposeProject> {
  const tool = await composeTool(docker);
  const { argv, ...project } = await composeProject(docker.engine(), name, tool.cli, dialect ?? commandShell(docker.env).dialect, tool.env);
  return project;
}

export async function runComposeAction(
  docker: DockerService,
  terminals: TerminalManager,
  request: { project: string; action: ComposeAction; confirmed: boolean; cols: number; rows: number },
): Promise<{ terminal: TerminalInfo; command: string }> {
  const tool = await composeTool(docker);
  const dialect = commandShell(docker.env).dialect;
  const project = await composeProject(docker.engine(), request.project, tool.cli, dialect, tool.env);
  if (!project.argv) throw new ServiceError('unavailable', noComposeTool.message, { hint: noComposeTool.hint });
  if (request.action === 'down' && !request.confirmed)
    throw new ServiceError('invalid-argument', `Stopping "${request.project}" removes its containers and networks; confirm first.`, {
      field: 'params.confirmed',
    });
  return runCommandInTerminal(docker, terminals, {
    command: envCommandLine(tool.env, project.argv[request.action], dialect),
    title: `${request.project}: ${request.action}`,
    cols: request.cols,
    rows: request.rows,
    cwd: project.workingDir && project.argv[request.action].includes(project.workingDir) ? project.workingDir : undefined,
    // The engine picked in Lanyard, not the CLI's default, for `docker compose` too.
    envChanges: await docker.cliEnvironment(),
  });
}
