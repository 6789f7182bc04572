// A list of containers kept current from the engine's /events stream — the containers panel and the suggestions
// cache both keep one. Events within `batchMs` become one by-id listing (a `compose up` sends dozens at once); a
// destroyed container is dropped without asking; full listings and batches run one at a time, in order, so an
// answer from before an event never lands after one from after it. Pure (timers and promises only): the page and
// the service host share it, hence its place among the display helpers.
//
// Moby logs `die` before it cleans the container up and records it stopped (unmounts and network teardown take
// a while on a loaded host), and `pause`/`unpause` before it records them: a listing asked for on such an event can
// still show the old state, and no later event says it changed. Those containers are asked for again, at
// growing intervals, until the listing agrees.
import type { ContainerSummary, EngineEvent } from '../docker/contract.ts';

/** Ids per by-id listing: the filter rides in the query string. */
const idsPerRequest = 100;
/** Re-asks after a late listing: 100 ms, doubling, 7 times (12.7 s in all). */
const recheckFirstMs = 100;
const recheckTries = 7;

/** Whether a container as listed (undefined: not listed) already shows what the event says; null: nothing to check. */
const shownBy: Record<string, (listed: ContainerSummary | undefined) => boolean> = {
  die: (listed) => listed?.state !== 'running' && listed?.state !== 'paused',
  pause: (listed) => !listed || listed.state === 'paused',
  unpause: (listed) => !listed || listed.state !== 'paused',
};

export interface ContainerEventQueue {
  /** An event from the engine's /events stream (type container). */
  event(event: EngineEvent): void;
  /** Run `work` (a full listing) after everything queued before it and before anything queued after. */
  enqueue(work: () => Promise<void>): Promise<void>;
  /** Fetch what the events so far changed now, not after the batch delay; resolves when that and all before it is applied. */
  flush(): Promise<void>;
  close(): void;
}

export function createContainerEventQueue(options: {
  batchMs: number;
  /** The containers with these ids as the engine lists them now; an id not listed is gone (or filtered out). */
  fetch(ids: string[]): Promise<ContainerSummary[]>;
  /** Drop every container in `ids`, then put each of `fresh`. */
  apply(ids: string[], fresh: ContainerSummary[]): void;
  /** A batch's listing failed (the events in it are not applied). */
  onError(error: unknown): void;
}): ContainerEventQueue {
  /** Id → the last event's action and how many times it has been re-asked for. */
  const changed = new Map<string, { action: string; tries: number }>();
  const destroyed = new Set<string>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let batchTimer: ReturnType<typeof setTimeout> | null = null;
  let queue: Promise<void> = Promise.resolve();
  let closed = false;

  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
    return timer;
  };
  const enqueue = (work: () => Promise<void>) => (queue = queue.catch(() => undefined).then(() => (closed ? undefined : work())));

  async function batch(): Promise<void> {
    const entries = [...changed];
    const gone = [...destroyed];
    changed.clear();
    destroyed.clear();
    if (entries.length === 0 && gone.length === 0) return;
    const ids = entries.map(([id]) => id);
    const fresh: ContainerSummary[] = [];
    for (let i = 0; i < ids.length; i += idsPerRequest) fresh.push(...(await options.fetch(ids.slice(i, i + idsPerRequest))));
    if (closed) return;
    options.apply([...gone, ...ids], fresh);
    const listed = new Map(fresh.map((c) => [c.id, c]));
    const late = entries.filter(([id, { action, tries }]) => tries < recheckTries && shownBy[action]?.(listed.get(id)) === false);
    if (late.length === 0) return;
    const tries = Math.min(...late.map(([, e]) => e.tries));
    later(recheckFirstMs * 2 ** tries, () => {
      // A newer event for the container supersedes the re-ask.
      for (const [id, e] of late) if (!changed.has(id) && !destroyed.has(id)) changed.set(id, { action: e.action, tries: e.tries + 1 });
      schedule(0);
    });
  }

  function schedule(ms: number): void {
    if (closed || batchTimer) return;
    batchTimer = later(ms, () => {
      batchTimer = null;
      enqueue(batch).catch(options.onError);
    });
  }

  return {
    event(event) {
      if (!event.id) return;
      if (event.action === 'destroy') {
        destroyed.add(event.id);
        changed.delete(event.id);
      } else if (!destroyed.has(event.id)) changed.set(event.id, { action: event.action, tries: 0 });
      schedule(options.batchMs);
    },
    enqueue,
    flush() {
      if (batchTimer) {
        clearTimeout(batchTimer);
        timers.delete(batchTimer);
        batchTimer = null;
      }
      return enqueue(batch);
    },
    close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      batchTimer = null;
    },
  };
}
