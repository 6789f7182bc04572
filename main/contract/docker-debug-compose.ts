// Issue 16, points 1 and 4: the debug shell (a toolbox container joining a target's namespaces) and Compose
// projects (containers grouped by their Compose labels, project actions as commands filled from the project).
// Joined to Docker's methods in index.ts.
import { z } from 'zod';
import { shellDialect } from './docker.ts';
import { terminalInfo } from './terminal.ts';

export const composeAction = z.enum(['up', 'down', 'restart', 'logs', 'ps']);
export type ComposeAction = z.infer<typeof composeAction>;

export const composeProject = z.object({
  name: z.string(),
  workingDir: z.string().nullable(),
  configFiles: z.array(z.string()),
  services: z.array(z.string()),
  /** Every `profiles:` named by a service of the project's files. */
  profiles: z.array(z.string()),
  /** The Compose CLI the actions use ("docker compose" or "docker-compose"), null when neither is installed. */
  cli: z.string().nullable(),
  /** Each action's command line, as it will run (quoted for the terminal's shell). */
  actions: z.array(z.object({ action: composeAction, command: z.string(), danger: z.boolean() })),
  /** Files that could not be read or parsed, a missing Compose CLI… */
  problems: z.array(z.string()),
});
export type ComposeProject = z.infer<typeof composeProject>;

export const debugPlan = z.object({
  /** Names this session's helper, snapshot and volume apart from another's. */
  nonce: z.string(),
  /** The helper's image, already on the engine. */
  toolbox: z.string(),
  /** The target is stopped: its filesystem is a committed snapshot, removed after. */
  snapshot: z.boolean(),
  /** Each docker command in the order they run. */
  commands: z.array(z.string()),
  /** The line the terminal runs: the commands joined for its shell. */
  command: z.string(),
  /** What the helper cannot do here (a private IPC namespace, a snapshot instead of live processes). */
  notes: z.array(z.string()),
});
export type DebugPlan = z.infer<typeof debugPlan>;

const debugParams = z
  .object({
    container: z.string().min(1),
    image: z.string().min(1).optional(),
    /** The plan's nonce, so the shell opened runs exactly the commands the plan showed; a new one when absent. */
    nonce: z
      .string()
      .regex(/^[0-9a-f]{6}$/)
      .optional(),
  })
  .strict();
const size = { cols: z.number().int().min(2).max(1000), rows: z.number().int().min(1).max(500) };

export const dockerDebugComposeMethods = {
  'docker.debugPlan': {
    summary: 'The docker commands a debug shell into a container runs (toolbox image found on the engine, never pulled).',
    /** dialect: the shell the line is for; by default the one a terminal runs it with. */
    params: debugParams.extend({ dialect: shellDialect.optional() }).strict(),
    result: debugPlan,
  },
  'docker.debugShell': {
    summary:
      "Open a debug shell in a terminal tab: a toolbox container in the target's PID, network and IPC namespaces, its files under /target.",
    params: debugParams.extend(size).strict(),
    result: z.object({ terminal: terminalInfo, command: z.string() }),
  },
  'docker.composeProject': {
    summary: "A Compose project's folder, files, services, profiles and its actions' commands.",
    params: z.object({ project: z.string().min(1), dialect: shellDialect.optional() }).strict(),
    result: composeProject,
  },
  'docker.composeRun': {
    summary: "Run a Compose project's action (up -d, down, restart, logs -f, ps) in a terminal tab.",
    params: z.object({ project: z.string().min(1), action: composeAction, confirmed: z.boolean().default(false), ...size }).strict(),
    result: z.object({ terminal: terminalInfo, command: z.string() }),
  },
} as const;
