// The namespaced face of the client (`lanyard.doctor.report(…)`), derived from the contract's names.
// The preload exposes exactly this object; the renderer uses the same shape over WebSocket.
import type { LanyardClient, StreamHandlers, Unsubscribe } from './client.ts';
import { methodNames, streamNames } from './index.ts';
import type { MethodName, Params, Result, StreamEvent, StreamName, StreamParams } from './index.ts';

type Namespace<N> = N extends `${infer A}.${string}` ? A : never;
type Local<N, NS extends string> = N extends `${NS}.${infer F}` ? F : never;

export type LanyardApi = {
  [NS in Namespace<MethodName | StreamName>]: {
    [M in MethodName as Local<M, NS>]: (params: Params<M>) => Promise<Result<M>>;
  } & {
    [S in StreamName as Local<S, NS>]: (params: StreamParams<S>, handlers: StreamHandlers<StreamEvent<S>>) => Unsubscribe;
  };
};

function split(name: string): [string, string] {
  const dot = name.indexOf('.');
  return [name.slice(0, dot), name.slice(dot + 1)];
}

export function buildApi(client: LanyardClient): LanyardApi {
  const api: Record<string, Record<string, unknown>> = {};
  for (const method of methodNames) {
    const [ns, local] = split(method);
    (api[ns] ??= {})[local] = (params: Params<typeof method>) => client.request(method, params);
  }
  for (const stream of streamNames) {
    const [ns, local] = split(stream);
    (api[ns] ??= {})[local] = (params: StreamParams<typeof stream>, handlers: StreamHandlers<StreamEvent<typeof stream>>) =>
      client.subscribe(stream, params, handlers);
  }
  return api as LanyardApi;
}

/** Every `ns.local` name the api holds, for the "preload exposes exactly the contract" test. */
export function apiShape(api: object): string[] {
  return Object.entries(api)
    .flatMap(([ns, group]) => Object.keys(group as object).map((local) => `${ns}.${local}`))
    .sort();
}
