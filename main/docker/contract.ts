import { z } from 'zod';
import { type ShellDialect, shellDialect } from '../contract/shell.ts';
import { terminalInfo } from '../terminal/contract.ts';

// ---- Cheats -------------------------------------------------------------------------------------

export const placeholderKind = z.enum(['container', 'image', 'volume', 'network', 'context', 'path', 'port', 'choice', 'text']);
export type PlaceholderKind = z.infer<typeof placeholderKind>;

/** How a template marks a placeholder: `<name>`. Shared by the service and the cheat editor. */
export const placeholderPattern = /<([a-z][a-z0-9_-]*)>/g;

/** The distinct placeholder names a template uses, in order of first use. */
export function templatePlaceholders(template: string): string[] {
  return [...new Set([...template.matchAll(placeholderPattern)].map((m) => m[1]!))];
}

export const placeholderName = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'a placeholder name is lower-case letters, digits, - and _');

export const placeholder = z
  .object({
    name: placeholderName,
    kind: placeholderKind,
    /** For kind "container": offer only running containers, or all of them. */
    state: z.enum(['running', 'any']).optional(),
    description: z.string().optional(),
    default: z.string().optional(),
    /** For kind "choice". */
    choices: z.array(z.string().min(1)).optional(),
  })
  .strict();
export type Placeholder = z.infer<typeof placeholder>;

export const cheatSource = z.enum(['builtin', 'user', 'navi', 'tldr']);
export type CheatSource = z.infer<typeof cheatSource>;

export const cheatId = z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'a cheat id is lower-case letters, digits, . and -');

/** A cheat as written in a file (resources/cheats/*.json, $LANYARD_HOME/cheats/*.json). */
export const cheatFileEntry = z
  .object({
    id: cheatId,
    title: z.string().min(1),
    description: z.string(),
    tags: z.array(z.string()),
    /** Shell text; `<name>` marks a placeholder. Placeholders sit in plain words, never inside quotes or a script. */
    template: z.string().min(1),
    placeholders: z.array(placeholder),
    danger: z.boolean().default(false),
    /** Attribution for imported cheats (tldr-pages, a navi repository). */
    credit: z.string().optional(),
  })
  .strict();
export type CheatFileEntry = z.infer<typeof cheatFileEntry>;

export const cheatFile = z.object({ cheats: z.array(cheatFileEntry) }).strict();

export const cheat = cheatFileEntry.extend({ source: cheatSource, file: z.string().nullable() });
export type Cheat = z.infer<typeof cheat>;

/** The shell a command line is written for: sh (dash, busybox), bash, zsh, fish, Windows PowerShell 5.1, PowerShell 7.3+, cmd.exe. */
export { shellDialect, type ShellDialect };

export const rendered = z.object({
  command: z.string(),
  /** Placeholders still without a value; the command cannot run until this is empty. */
  missing: z.array(z.string()),
  dialect: shellDialect,
});
export type Rendered = z.infer<typeof rendered>;

// ---- Engine -------------------------------------------------------------------------------------

/** Where an endpoint came from: as the docker CLI resolves it, or "context" / "podman" for the others listed to switch to. */
export const endpointSource = z.enum(['flag', 'DOCKER_HOST', 'DOCKER_CONTEXT', 'config.json', 'default', 'context', 'podman']);

export const engineStatus = z.object({
  /** The endpoint's id in docker.endpoints. */
  endpointId: z.string(),
  /** Picked in Lanyard (docker.chooseEndpoint) rather than resolved as the docker CLI would. */
  chosen: z.boolean(),
  host: z.string(),
  source: endpointSource,
  context: z.string().nullable(),
  /** Docker, or Podman's Docker-compatible API; null until the engine has answered. */
  flavour: z.enum(['docker', 'podman']).nullable(),
  reachable: z.boolean(),
  apiVersion: z.string().nullable(),
  engineVersion: z.string().nullable(),
  /** Why the engine cannot be used, and what to do. */
  problem: z.string().nullable(),
  hint: z.string().nullable(),
  /** Why a usable endpoint is unsafe (plain tcp://), or null. */
  warning: z.string().nullable(),
});
export type EngineStatus = z.infer<typeof engineStatus>;

/** Issue 16: a container's Compose labels (v1 and v2 both set them); null for a container Compose did not make. */
export const composeLabels = z.object({
  project: z.string(),
  service: z.string(),
  /** com.docker.compose.project.working_dir: the project's folder on the engine's host. */
  workingDir: z.string().nullable(),
  /** com.docker.compose.project.config_files, split on ",". */
  configFiles: z.array(z.string()),
  /** `compose run` containers. */
  oneoff: z.boolean(),
  /** com.docker.compose.depends_on (Compose v2): the services this one waits for; v1 writes none. */
  dependsOn: z.array(z.string()),
  /** com.docker.compose.version: the Compose that made the container ("1.29.2", "2.24.5"), null when absent. */
  version: z.string().nullable(),
});
export type ComposeLabels = z.infer<typeof composeLabels>;

export const containerSummary = z.object({
  id: z.string(),
  name: z.string(),
  image: z.string(),
  state: z.string(),
  status: z.string(),
  ports: z.array(z.string()),
  created: z.number(),
  compose: composeLabels.nullable(),
  /** Podman: the pod the container belongs to (the panel shows a pod as a group). */
  pod: z.string().optional(),
});
export type ContainerSummary = z.infer<typeof containerSummary>;

export const suggestion = z.object({
  value: z.string(),
  /** What the user reads: a name, a tag. */
  label: z.string(),
  /** Status, image, size… */
  detail: z.string(),
});
export type Suggestion = z.infer<typeof suggestion>;

export const engineEvent = z.object({
  type: z.string(),
  action: z.string(),
  id: z.string(),
  name: z.string(),
  time: z.number(),
});
export type EngineEvent = z.infer<typeof engineEvent>;

export const logChunk = z.object({ stream: z.enum(['stdout', 'stderr']), text: z.string() });
export type LogChunk = z.infer<typeof logChunk>;

// ---- Endpoints (issue 16: remote engines, contexts, Podman) ----------------------------------------

export const endpointSummary = z.object({
  id: z.string(),
  host: z.string(),
  source: endpointSource,
  context: z.string().nullable(),
  /** Spoken to over TLS (verified). */
  tls: z.boolean(),
  /** Plain tcp://: usable, but unsafe. */
  warning: z.string().nullable(),
  /** The one in use now. */
  current: z.boolean(),
});
export type EndpointSummary = z.infer<typeof endpointSummary>;

export const containerAction = z.enum(['start', 'stop', 'restart', 'remove']);
export type ContainerAction = z.infer<typeof containerAction>;

const noParams = z.object({}).strict();
const values = z.record(placeholderName, z.string());

export const dockerMethods = {
  'docker.engine': {
    summary: 'Where the Docker engine is (resolved as the docker CLI does) and whether it answers.',
    params: noParams,
    result: engineStatus,
  },
  'docker.endpoints': {
    summary: 'Every engine there is to switch to: the docker CLI’s, DOCKER_HOST, each context, Podman’s sockets.',
    params: noParams,
    result: z.object({ endpoints: z.array(endpointSummary), chosen: z.string().nullable() }),
  },
  'docker.chooseEndpoint': {
    summary: 'Use this engine from now on (kept across restarts); null goes back to the one the docker CLI would use.',
    params: z.object({ id: z.string().min(1).nullable() }).strict(),
    result: engineStatus,
  },
  'docker.cliEnvironment': {
    summary: 'The variables that point a docker (or podman) command at the engine in use; null removes one.',
    params: noParams,
    result: z.object({ env: z.record(z.string(), z.string().nullable()) }),
  },
  'docker.cheats': {
    summary: 'Every cheat (built-in, your own, imported), best fuzzy match first when a query is given.',
    params: z.object({ query: z.string().optional() }).strict(),
    result: z.object({ cheats: z.array(cheat), problems: z.array(z.string()) }),
  },
  'docker.cheat': {
    summary: 'One cheat with the values last used for its placeholders.',
    params: z.object({ id: cheatId }).strict(),
    result: z.object({ cheat, lastUsed: values }),
  },
  'docker.render': {
    summary: 'The command line a cheat becomes with these values, each value quoted for the shell.',
    params: z.object({ id: cheatId, values, dialect: shellDialect.optional() }).strict(),
    result: rendered,
  },
  'docker.remember': {
    summary: 'Remember the values used for a cheat, to offer them first next time.',
    params: z.object({ id: cheatId, values }).strict(),
    result: z.object({}),
  },
  'docker.runInTerminal': {
    summary: 'Run a cheat in a new terminal tab; the values are remembered and the run is recorded in History when it ends.',
    params: z
      .object({
        id: cheatId,
        values,
        /** The command as the user last edited it; the cheat rendered with the values when absent. */
        command: z.string().min(1).optional(),
        /** Dangerous cheats (rm, prune…) run only once the user has confirmed. */
        confirmed: z.boolean().default(false),
        cols: z.number().int().min(2).max(1000),
        rows: z.number().int().min(1).max(500),
        cwd: z.string().optional(),
      })
      .strict(),
    result: z.object({ terminal: terminalInfo, command: z.string() }),
  },
  'docker.suggest': {
    summary: 'Live values for a placeholder kind from the engine (containers, images, volumes…).',
    params: z
      .object({ kind: placeholderKind, state: z.enum(['running', 'any']).optional(), choices: z.array(z.string()).optional() })
      .strict(),
    result: z.array(suggestion),
  },
  'docker.containers': {
    summary: 'The containers the engine knows, running ones only unless all is set; only those ids when given.',
    params: z.object({ all: z.boolean().default(false), ids: z.array(z.string().min(1)).max(500).optional() }).strict(),
    result: z.array(containerSummary),
  },
  'docker.containerCommand': {
    summary: 'The docker command a container action runs, for showing before running it.',
    params: z.object({ action: containerAction, container: z.string().min(1) }).strict(),
    result: z.object({ command: z.string() }),
  },
  'docker.containerAction': {
    summary: 'Start, stop, restart or remove a container through the Engine API.',
    params: z.object({ action: containerAction, container: z.string().min(1) }).strict(),
    result: z.object({ command: z.string() }),
  },
  'docker.saveCheat': {
    summary: 'Add or replace one of your own cheats ($LANYARD_HOME/cheats/<id>.json).',
    params: z.object({ cheat: cheatFileEntry }).strict(),
    result: cheat,
  },
  'docker.deleteCheat': {
    summary: 'Delete one of your own cheats.',
    params: z.object({ id: cheatId }).strict(),
    result: z.object({}),
  },
  'docker.import': {
    summary: 'Import navi .cheat files or tldr pages from a local file or folder into your cheats.',
    params: z.object({ format: z.enum(['navi', 'tldr']), path: z.string().min(1) }).strict(),
    result: z.object({ imported: z.array(cheatId), skipped: z.array(z.string()) }),
  },
} as const;

export const dockerStreams = {
  'docker.events': {
    summary: 'Container events from the engine (/events) as they happen.',
    params: noParams,
    event: engineEvent,
  },
  'docker.logs': {
    summary: "A container's log, the last lines then new ones as they come.",
    params: z
      .object({ container: z.string().min(1), tail: z.number().int().min(0).max(100_000).default(200), follow: z.boolean().default(true) })
      .strict(),
    event: logChunk,
  },
} as const;

// ---- Debug shell and Compose projects ----
// Issue 16, points 1 and 4: the debug shell (a toolbox container joining a target's namespaces) and Compose
// projects (containers grouped by their Compose labels, project actions as commands filled from the project).

export const composeAction = z.enum(['up', 'down', 'restart', 'logs', 'ps']);
export type ComposeAction = z.infer<typeof composeAction>;

export const composeProject = z.object({
  name: z.string(),
  workingDir: z.string().nullable(),
  configFiles: z.array(z.string()),
  services: z.array(z.string()),
  /** Service → the services it depends on, from Compose v2's labels (empty for v1 projects). */
  dependsOn: z.record(z.string(), z.array(z.string())),
  /** Every `profiles:` named by a service of the project's files. */
  profiles: z.array(z.string()),
  /** The Compose CLI the actions use ("docker compose", "docker-compose" or "podman-compose"), null when none is installed. */
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

/** docker's requests and event streams, joined into the contract by contract/index.ts (found by folder). */
export const contract = { methods: { ...dockerMethods, ...dockerDebugComposeMethods }, streams: dockerStreams } as const;

declare module '../contract/registry.ts' {
  interface ToolContracts {
    docker: typeof contract;
  }
}
