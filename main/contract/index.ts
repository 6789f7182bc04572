// The one contract: every request and event stream, its argument and its result, declared once.
// Main, preload, renderer, CLI and tests import this file; the host validates params against it.
import type { z } from 'zod';
import { appMethods, appStreams } from './app.ts';
import { globOnDisk } from './glob-fallback.ts';
import type { ToolContract, ToolContracts } from './registry.ts';
import { type ToolName, toolNames } from './tools.ts';

// Each tool's schemas are its folder's contract.ts, found by Vite's (and the build's, see build/glob-plugin.ts)
// import.meta.glob: no file here names a tool; the tool list says which folders are tools and in what order.
const found = findContracts();

function findContracts(): Record<string, ToolContract> {
  try {
    return import.meta.glob<ToolContract>('../*/contract.ts', { eager: true, import: 'contract' });
  } catch {
    return globOnDisk<ToolContract>(import.meta.url, '../*/contract.ts', 'contract');
  }
}
const contracts = toolNames.map((name) => {
  const contract = found[`../${name}/contract.ts`];
  if (!contract) throw new Error(`The tool "${name}" has no contract: add main/${name}/contract.ts exporting \`contract\`.`);
  return contract;
});
const unlisted = Object.keys(found).filter((file) => !toolNames.some((name) => file === `../${name}/contract.ts`));
if (unlisted.length > 0) throw new Error(`${unlisted.join(', ')}: a contract of a tool missing from main/contract/tools.ts`);

// The types: the same two sets must match, or this does not compile.
true satisfies [keyof ToolContracts] extends [ToolName] ? ([ToolName] extends [keyof ToolContracts] ? true : false) : false;

/** `A | B | C` → `A & B & C`: the tools' tables merged into one. */
type Merged<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
type Contract = ToolContracts[ToolName];

export const methods = Object.assign({}, appMethods, ...contracts.map((c) => c.methods)) as typeof appMethods & Merged<Contract['methods']>;
export const streams = Object.assign({}, appStreams, ...contracts.map((c) => c.streams)) as typeof appStreams & Merged<Contract['streams']>;

export type Methods = typeof methods;
export type Streams = typeof streams;
export type MethodName = keyof Methods;
export type StreamName = keyof Streams;

export type Params<M extends MethodName> = z.input<Methods[M]['params']>;
export type Result<M extends MethodName> = z.output<Methods[M]['result']>;
export type StreamParams<S extends StreamName> = z.input<Streams[S]['params']>;
export type StreamEvent<S extends StreamName> = z.output<Streams[S]['event']>;

export const methodNames = Object.keys(methods) as MethodName[];
export const streamNames = Object.keys(streams) as StreamName[];

export { tools, toolNames, views, type ToolName, type ViewId } from './tools.ts';

export type { AppInfo } from './app.ts';
export type { CheckGroup, CheckStatus, Fact, InstallHint, ToolCheck } from './checks.ts';
export { ServiceError } from './errors.ts';
export type { WireError, ErrorCode, ClientMessage, HostMessage, Channel } from './wire.ts';
