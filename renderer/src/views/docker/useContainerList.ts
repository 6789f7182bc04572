// The containers panel's list: one list request, then the engine's events applied incrementally (see
// display/container-events.ts), so 500 containers cost one listing, not one per event. A slow full re-list
// catches what an event stream may have missed.
import { useEffect, useState } from 'react';
import type { ContainerSummary } from '../../../../main/docker/contract.ts';
import { asServiceError } from '../../api/connect.ts';
import { useApi } from '../../api/context.tsx';
import { createContainerEventQueue } from '../../../../main/display/container-events.ts';

/** Events within this long are applied as one batch (a `compose up` sends dozens at once). */
const batchMs = 120;
const resyncMs = 30_000;

export function useContainerList(all: boolean): { containers: ContainerSummary[] | null; problem: string | null } {
  const api = useApi();
  const [byId, setById] = useState<Map<string, ContainerSummary> | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const fail = (error: unknown) => {
      if (live) setProblem(asServiceError(error).message);
    };
    const events = createContainerEventQueue({
      batchMs,
      fetch: (ids) => api.docker.containers({ all, ids }),
      apply(ids, fresh) {
        if (!live) return;
        setById((previous) => {
          const next = new Map(previous ?? []);
          for (const id of ids) next.delete(id);
          for (const c of fresh) next.set(c.id, c);
          return next;
        });
      },
      onError: fail,
    });
    // Full listings go through the same queue as event batches: a resync's listing sent before a container's
    // `die` must not land after the batch that applied it.
    const listAll = () =>
      api.docker.containers({ all }).then((list) => {
        if (!live) return;
        setById(new Map(list.map((c) => [c.id, c])));
        setProblem(null);
      }, fail);
    void events.enqueue(listAll);
    const resync = setInterval(() => void events.enqueue(listAll), resyncMs);
    const stop = api.docker.events({}, { next: (event) => events.event(event), error: fail });
    return () => {
      live = false;
      clearInterval(resync);
      events.close();
      stop();
    };
  }, [api, all]);

  return { containers: byId ? [...byId.values()] : null, problem };
}
