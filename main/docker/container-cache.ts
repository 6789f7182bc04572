// Issue 16, point 5: the engine's containers held in memory for suggestions, kept current by /events. One
// full listing when first asked (after the event stream is open, so nothing between the two is lost), then
// each event's container fetched by id, in batches; destroyed ones dropped. While the stream is down, every
// request lists afresh, as before. With 500 containers a suggestion reads memory, not a 500-entry listing.
import type { ContainerSummary } from '../docker/contract.ts';
import type { Engine } from './engine.ts';
import { listContainers } from './listings.ts';
import { createEventSplitter } from './streams.ts';
import { createContainerEventQueue, type ContainerEventQueue } from '../display/container-events.ts';

/** Events within this long are fetched as one request (a `compose up` sends dozens at once). */
const batchMs = 30;

export interface ContainerCache {
  /** Every container, as of the last event applied (pending ones applied first). */
  list(): Promise<ContainerSummary[]>;
  close(): void;
}

export function createContainerCache(engine: Engine): ContainerCache {
  let live: Promise<Map<string, ContainerSummary>> | null = null;
  let abort: AbortController | null = null;
  let events: ContainerEventQueue | null = null;

  function stop(): void {
    abort?.abort();
    abort = null;
    live = null;
    events?.close();
    events = null;
  }

  async function start(): Promise<Map<string, ContainerSummary>> {
    const controller = new AbortController();
    abort = controller;
    const byId = new Map<string, ContainerSummary>();
    const queue = createContainerEventQueue({
      batchMs,
      fetch: (ids) => listContainers(engine, true, { id: ids }),
      apply(ids, fresh) {
        for (const id of ids) byId.delete(id);
        for (const c of fresh) byId.set(c.id, c);
      },
      // A failed fetch leaves the map unsure: start over on the next request.
      onError: () => abort === controller && stop(),
    });
    events = queue;
    const split = createEventSplitter((event) => queue.event(event));
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
    // Queued first: a batch of events that arrive meanwhile is fetched after it.
    await queue.enqueue(async () => {
      for (const c of await listContainers(engine, true)) byId.set(c.id, c);
    });
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
      try {
        await events?.flush();
      } catch {
        stop();
        return listContainers(engine, true);
      }
      return [...byId.values()];
    },
    close: stop,
  };
}
