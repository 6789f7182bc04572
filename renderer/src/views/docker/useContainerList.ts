// The containers panel's list: one list request, then the engine's events applied incrementally — a
// destroyed container dropped, the others changed asked for by id, in batches — so 500 containers cost
// one listing, not one per event. A slow full re-list catches what an event stream may have missed.
import { useEffect, useState } from 'react';
import type { ContainerSummary } from '../../../../main/docker/contract.ts';
import { asServiceError } from '../../api/connect.ts';
import { useApi } from '../../api/context.tsx';

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
    const listAll = () =>
      api.docker.containers({ all }).then((list) => {
        if (!live) return;
        setById(new Map(list.map((c) => [c.id, c])));
        setProblem(null);
      }, fail);
    // One request at a time, in order — the full listings and the event batches alike: two overlapping requests
    // could answer out of order, and a container's state from before its `die` (a resync's listing sent just
    // before it) must not land after the one from after it.
    let applying: Promise<void> = Promise.resolve();
    const enqueue = (work: () => Promise<void>) => {
      applying = applying.then(work);
    };
    enqueue(listAll);
    const resync = setInterval(() => enqueue(listAll), resyncMs);

    const changed = new Set<string>();
    const destroyed = new Set<string>();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const applyBatch = async () => {
      const ids = [...changed];
      const gone = [...destroyed];
      changed.clear();
      destroyed.clear();
      if (ids.length === 0 && gone.length === 0) return;
      try {
        const list = ids.length ? await api.docker.containers({ all, ids }) : [];
        if (!live) return;
        setById((previous) => {
          const next = new Map(previous ?? []);
          for (const id of [...ids, ...gone]) next.delete(id);
          for (const c of list) next.set(c.id, c);
          return next;
        });
      } catch (error) {
        fail(error);
      }
    };
    const apply = () => {
      timer = null;
      enqueue(applyBatch);
    };
    const stop = api.docker.events(
      {},
      {
        next: (event) => {
          if (!event.id) return;
          if (event.action === 'destroy') {
            destroyed.add(event.id);
            changed.delete(event.id);
          } else if (!destroyed.has(event.id)) changed.add(event.id);
          timer ??= setTimeout(apply, batchMs);
        },
        error: fail,
      },
    );
    return () => {
      live = false;
      clearInterval(resync);
      if (timer) clearTimeout(timer);
      stop();
    };
  }, [api, all]);

  return { containers: byId ? [...byId.values()] : null, problem };
}
