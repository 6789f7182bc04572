// Issue 16, point 5: the engine's containers held in memory for suggestions, kept current by /events. One
// full listing when first asked (after the event stream is open, so nothing between the two is lost), then
// each event's container fetched by id, in batches; destroyed ones dropped. While the stream is down, every
// request lists afresh, as before. With 500 containers a suggestion reads memory, not a 500-entry listing.
import type { ContainerSummary } from '../docker/contract.ts';
import type { Engine } from './engine.ts';
import { listContainers } from './listings.ts';
import { createEventSplitter } from './streams.ts';

/** Events within this long are fetched as one request (a `compose up` sends dozens at once). */
const batchMs = 30;
/** Ids per by-id listing: the filter rides in the query string. */
const idsPerRequest = 100;

export interface ContainerCache {
  /** Every container, as of the last event applied (pending ones applied first). */
  list(): Promise<ContainerSummary[]>;
  close(): void;
}

export function createContainerCache(engine: Engine): ContainerCache {
  let live: Promise<Map<string, ContainerSummary>> | null = null;
  let abort: AbortController | null = null;
  const changed = new Set<string>();
  const destroyed = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let applying: Promise<void> = Promise.resolve();

  function stop(): void {
    abort?.abort();
    abort = null;
    live = null;
    changed.clear();
    destroyed.clear();
    if (timer) clearTimeout(timer);
    timer = null;
  }

  /** Apply the pending events to the map; chained, so batches land in order. */
  function flush(byId: Map<string, ContainerSummary>): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    const ids = [...changed];
    const gone = [...destroyed];
    changed.clear();
    destroyed.clear();
    applying = applying.then(async () => {
      for (const id of gone) byId.delete(id);
      for (let i = 0; i < ids.length; i += idsPerRequest) {
        const chunk = ids.slice(i, i + idsPerRequest);
        const fresh = await listContainers(engine, true, { id: chunk });
        for (const id of chunk) byId.delete(id);
        for (const c of fresh) byId.set(c.id, c);
      }
    });
    // A failed fetch leaves the map unsure: start over on the next request.
    return applying.catch(() => stop());
  }

  async function start(): Promise<Map<string, ContainerSummary>> {
    const controller = new AbortController();
    abort = controller;
    const byId = new Map<string, ContainerSummary>();
    let listed = false;
    const split = createEventSplitter((event) => {
      if (!event.id) return;
      if (event.action === 'destroy') {
        destroyed.add(event.id);
        changed.delete(event.id);
      } else changed.add(event.id);
      if (listed) timer ??= setTimeout(() => void flush(byId), batchMs);
    });
    const response = await engine.stream('/events', { filters: JSON.stringify({ type: ['container'] }) }, controller.signal);
    // The stream alone never keeps a process alive (a one-shot `lanyard docker suggest` exits when done).
    response.socket?.unref();
    const lost = () => abort === controller && stop();
    response.on('data', (chunk: Buffer) => {
      try {
        split(chunk);
      } catch {
        response.destroy();
        lost();
      }
    });
    response.once('end', lost);
    response.once('error', lost);
    for (const c of await listContainers(engine, true)) byId.set(c.id, c);
    listed = true;
    if (changed.size || destroyed.size) await flush(byId);
    return byId;
  }

  return {
    async list() {
      if (!live) {
        live = start();
        live.catch(() => stop());
      }
      let byId: Map<string, ContainerSummary>;
      try {
        byId = await live;
      } catch {
        // No event stream (an engine or proxy without /events): a plain listing, as before.
        return listContainers(engine, true);
      }
      if (changed.size || destroyed.size) await flush(byId);
      else await applying.catch(() => undefined);
      return [...byId.values()];
    },
    close: stop,
  };
}
