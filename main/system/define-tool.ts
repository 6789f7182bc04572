// The shape of a tool's public file (main/<tool>/tool.ts, `export const tool = { name: 'x', … } satisfies
// ToolDefinition<'x'>`): what the host, the CLI and Doctor may ask of a tool. `lanyard --help` reads every tool
// file, so a tool file imports types only and loads its code (and other tools' files) inside its functions.
import type { ServiceHandlers } from '../contract/handlers.ts';
import type { InstallHint, ToolCheck } from '../contract/index.ts';
import type { ToolName } from '../contract/tools.ts';
import type { DataDir } from './data-dir.ts';
import type { CommandModule } from './command-line.ts';
import type { VersionProbe } from './version-probe.ts';

/** What a tool's loader gets from the host that loads it (one per host). */
export interface ToolContext {
  env: NodeJS.ProcessEnv;
  dataDir: DataDir;
  appVersion: string;
  /** A value made once per host and shared by every tool that asks for `key` (the terminal manager, say). */
  share<T>(key: string, make: () => Promise<T>): Promise<T>;
}

/** A `lanyard <name>` command: its help, and its code (the tool's main/<tool>/cli/<name>.ts), loaded when it runs. */
export interface CommandEntry {
  name: string;
  usage: string;
  summary: string;
  details: string;
  load(): Promise<CommandModule>;
}

/** One outside program (or folder) a tool needs, as Doctor reports it. Each check returns a ToolCheck and never throws. */
export interface CheckDefinition {
  id: string;
  name: string;
  purpose: string;
  /** How to install it per platform; shown when the check is not ok. */
  hint: InstallHint | null;
  run(env: NodeJS.ProcessEnv, probe?: VersionProbe): Promise<Omit<ToolCheck, 'group'>>;
}

export interface ToolDefinition<N extends ToolName> {
  name: N;
  /** The tool's service: called on its first request (or when the host warms up); dynamic imports inside. */
  load(ctx: ToolContext): Promise<ServiceHandlers<N>>;
  /** Its CLI commands, in the order `lanyard --help` lists them. */
  commands?: readonly CommandEntry[];
  /** Its Doctor checks, shown under one heading: the title and a line on what they are for. */
  checks?(): Promise<readonly CheckDefinition[]>;
  checkGroup?: { title: string; blurb: string };
  /** Programs of its own that the build bundles beside the CLI: out/<name>.js from a file of its folder. */
  entryPoints?: Readonly<Record<string, string>>;
}

export type AnyTool = { [N in ToolName]: ToolDefinition<N> }[ToolName];
