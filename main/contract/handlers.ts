// The shape of a service's handlers, derived from the contract so no tool lists its method names by hand.
// Types only: tools implement these, the host dispatches through them, neither imports the other.
import type { z } from 'zod';
import type { MethodName, Methods, Result, StreamEvent, StreamName, Streams } from './index.ts';

/** What a handler receives: the params after the contract's schema parsed them (defaults filled in). */
export type HandlerParams<M extends MethodName> = z.output<Methods[M]['params']>;
export type StreamHandlerParams<S extends StreamName> = z.output<Streams[S]['params']>;

export type MethodHandlers = {
  [M in MethodName]: (params: HandlerParams<M>) => Promise<Result<M>> | Result<M>;
};
export type StreamHandlerTable = {
  [S in StreamName]: (params: StreamHandlerParams<S>, emit: (event: StreamEvent<S>) => void, signal: AbortSignal) => Promise<void>;
};

export type MethodsOf<N extends string> = Extract<MethodName, `${N}.${string}`>;
export type StreamsOf<N extends string> = Extract<StreamName, `${N}.${string}`>;

/** One tool's handlers: exactly its methods and streams (`certs.*`), and what to release at shutdown. */
export interface ServiceHandlers<N extends string> {
  methods: Pick<MethodHandlers, MethodsOf<N>>;
  streams: Pick<StreamHandlerTable, StreamsOf<N>>;
  /** Release what the service holds (sockets, PTYs, watchers, database) when the host shuts down. */
  dispose?(): void | Promise<void>;
}
