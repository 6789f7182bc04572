// A service whose code loads on its first request, so the host is ready before any service is.
// The handler table still lists every request up front: the contract decides the names, not the load.
import { methodNames, streamNames } from '../contract/index.ts';
import type { MethodHandlers, MethodsOf, ServiceHandlers, StreamHandlerTable, StreamsOf } from '../contract/handlers.ts';

export interface LazyService<N extends string> {
  methods: Pick<MethodHandlers, MethodsOf<N>>;
  streams: Pick<StreamHandlerTable, StreamsOf<N>>;
  /** Load now (in the background after start-up), so the first request does not wait. */
  warm(): Promise<void>;
  dispose(): Promise<void>;
}

type AnyMethod = (params: unknown) => unknown;
type AnyStream = (params: unknown, emit: (event: unknown) => void, signal: AbortSignal) => Promise<void>;

export function lazyService<N extends string>(name: N, load: () => Promise<ServiceHandlers<N>>): LazyService<N> {
  let loading: Promise<ServiceHandlers<N>> | null = null;
  const get = (): Promise<ServiceHandlers<N>> => {
    // A failed load (a native module missing, say) is retried by the next request rather than cached.
    loading ??= load().catch((error: unknown) => {
      loading = null;
      throw error;
    });
    return loading;
  };
  const methods: Record<string, AnyMethod> = {};
  for (const method of methodNames.filter((m) => m.startsWith(`${name}.`))) {
    methods[method] = async (params) => ((await get()).methods as unknown as Record<string, AnyMethod>)[method]!(params);
  }
  const streams: Record<string, AnyStream> = {};
  for (const stream of streamNames.filter((s) => s.startsWith(`${name}.`))) {
    streams[stream] = async (params, emit, signal) => {
      const loaded = await get();
      // Cancelled while the service loaded: starting it now would wait for an abort that already happened, forever.
      if (signal.aborted) return;
      return (loaded.streams as unknown as Record<string, AnyStream>)[stream]!(params, emit, signal);
    };
  }
  return {
    methods: methods as unknown as LazyService<N>['methods'],
    streams: streams as unknown as LazyService<N>['streams'],
    warm: async () => {
      await get();
    },
    dispose: async () => {
      const loaded = loading ? await loading.catch(() => null) : null;
      await loaded?.dispose?.();
    },
  };
}
