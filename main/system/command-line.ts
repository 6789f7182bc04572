// What a `lanyard` command's code gets from the CLI, and how it reads its arguments. A tool's commands live in its
// folder (main/<tool>/cli/) and reach the services through context.startHost, never by importing the host.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { LanyardApi } from '../contract/api.ts';

/** A mistake in how the command was typed: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The services, in this process: what `lanyard <command>` calls, as the app does over its transport. */
export interface CommandHost {
  api: LanyardApi;
  /** Release what the services hold (sockets, database); the command's process can then exit. */
  close(): Promise<void>;
}

export interface CommandContext {
  /** The folder holding the built bundles and renderer. */
  outDir: string;
  /** Start the service host in-process (loaded on the first call, so commands that need none start faster). */
  startHost(): Promise<CommandHost>;
  /** `lanyard help <command>`'s text, for commands that take other spellings of --help (mkcert's -help). */
  helpText(command: string): Promise<string>;
}

export interface CommandModule {
  run(args: string[], context: CommandContext): Promise<number>;
}

/** node:util parseArgs, with its errors turned into UsageErrors. */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${value}"`);
  return port;
}
