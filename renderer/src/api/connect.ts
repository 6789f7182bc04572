// Reaches the service host: through the Electron preload's bridge, or over WebSocket under `lanyard serve`.
import { buildApi, type LanyardApi } from '../../../main/contract/api.ts';
import { createClient, type StreamHandlers } from '../../../main/contract/client.ts';
import { ServiceError } from '../../../main/contract/errors.ts';
import type { WireError } from '../../../main/contract/wire.ts';
import { takeServeToken } from './serve-token.ts';
import { webSocketChannel } from './ws-channel.ts';

declare global {
  interface Window {
    lanyard?: LanyardApi;
  }
}

function isWireError(value: unknown): value is WireError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as WireError).code === 'string' &&
    typeof (value as WireError).message === 'string'
  );
}

/** Whatever was thrown, as a ServiceError the UI can show. */
export function asServiceError(error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  if (isWireError(error)) return ServiceError.fromWire(error);
  return new ServiceError('internal', error instanceof Error ? error.message : String(error));
}

/** The preload passes errors as plain objects; turn them back into ServiceErrors. */
function fromBridge(bridge: LanyardApi): LanyardApi {
  const api: Record<string, Record<string, unknown>> = {};
  for (const [ns, group] of Object.entries(bridge as unknown as Record<string, Record<string, (...args: unknown[]) => unknown>>)) {
    api[ns] = {};
    for (const [name, fn] of Object.entries(group)) {
      api[ns][name] = (params: unknown, handlers?: StreamHandlers<unknown>) =>
        handlers
          ? fn(params, { ...handlers, error: (e: unknown) => handlers.error?.(asServiceError(e)) })
          : (fn(params) as Promise<unknown>).catch((e: unknown) => Promise.reject(asServiceError(e)));
    }
  }
  return api as unknown as LanyardApi;
}

/** The typed client; null under `lanyard serve` when this tab was not opened with the token. */
export function connect(): LanyardApi | null {
  if (window.lanyard) return fromBridge(window.lanyard);
  const token = takeServeToken();
  if (!token) return null;
  return buildApi(createClient(webSocketChannel(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/lanyard-ws`, token)));
}
