// The one contract: every request and event stream, its argument and its result, declared once.
// Main, preload, renderer, CLI and tests import this file; the host validates params against it.
import type { z } from 'zod';
import { appMethods, appStreams } from './app.ts';
import { callsMethods, callsStreams } from './calls.ts';
import { capturesMethods, capturesStreams } from './captures.ts';
import { certsAcmeMethods, certsMethods, certsStreams } from './certs.ts';
import { doctorMethods, doctorStreams } from './doctor.ts';
import { dockerMethods, dockerStreams } from './docker.ts';
import { dockerDebugComposeMethods } from './docker-debug-compose.ts';
import { historyMethods, historyStreams } from './history.ts';
import { historySyncMethods, historySyncStreams } from './history-sync.ts';
import { terminalMethods, terminalStreams } from './terminal.ts';
import type { ToolName } from './tools.ts';

/** Each tool's schemas, by its name in the tool list (tools.ts): a tool listed there without them does not compile. */
const contracts = {
  certs: { methods: { ...certsMethods, ...certsAcmeMethods }, streams: certsStreams },
  history: { methods: { ...historyMethods, ...historySyncMethods }, streams: { ...historyStreams, ...historySyncStreams } },
  docker: { methods: { ...dockerMethods, ...dockerDebugComposeMethods }, streams: dockerStreams },
  terminal: { methods: terminalMethods, streams: terminalStreams },
  captures: { methods: capturesMethods, streams: capturesStreams },
  calls: { methods: callsMethods, streams: callsStreams },
  doctor: { methods: doctorMethods, streams: doctorStreams },
} as const satisfies Record<ToolName, { methods: object; streams: object }>;

/** `A | B | C` → `A & B & C`: the tools' tables merged into one. */
type Merged<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
type Contract = (typeof contracts)[ToolName];

export const methods = Object.assign({}, appMethods, ...Object.values(contracts).map((c) => c.methods)) as typeof appMethods &
  Merged<Contract['methods']>;
export const streams = Object.assign({}, appStreams, ...Object.values(contracts).map((c) => c.streams)) as typeof appStreams &
  Merged<Contract['streams']>;

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
export type { DoctorReport, DoctorEvent, ToolCheck, DataDirCheck, InstallHint, CheckStatus, ToolGroup, Fact, Versions } from './doctor.ts';
export type {
  Cheat,
  CheatFileEntry,
  Placeholder,
  PlaceholderKind,
  Rendered,
  ShellDialect,
  EngineStatus,
  ContainerSummary,
  Suggestion,
  EngineEvent,
  LogChunk,
  ContainerAction,
  ComposeLabels,
  EndpointSummary,
} from './docker.ts';
export type { ComposeAction, ComposeProject, DebugPlan } from './docker-debug-compose.ts';
export type { TerminalInfo, TerminalEvent } from './terminal.ts';
export type {
  AcmeOrder,
  AcmeSettings,
  AcmeState,
  CaInfo,
  CaState,
  CertName,
  InventoryEntry,
  IssueResult,
  KeyType,
  StoreId,
  StoreStatus,
  TrustEvent,
} from './certs.ts';
export { ServiceError } from './errors.ts';
export type { WireError, ErrorCode, ClientMessage, HostMessage, Channel } from './wire.ts';
