// The engine here is a scripted listing (the unit under test is the scheduling); the race it scripts — moby's
// `die` logged before its listing shows the container stopped — is what failed the real-dockerd e2e test.
import { describe, expect, it, vi } from 'vitest';
import type { ContainerSummary } from '../../../main/docker/contract.ts';
import { createContainerEventQueue } from '../../../main/display/container-events.ts';

const container = (id: string, state: string): ContainerSummary => ({
  id,
  name: id,
  image: 'busybox',
  state,
  status: state,
  ports: [],
  created: 0,
  compose: null,
});
const event = (id: string, action: string) => ({ type: 'container', action, id, name: id, time: 0 });

function tracked(states: Map<string, string[]>) {
  const byId = new Map<string, ContainerSummary>();
  const asked: string[][] = [];
  const queue = createContainerEventQueue({
    batchMs: 5,
    // Each ask for an id takes the next scripted state; the last one stays. "gone" is not listed.
    async fetch(ids) {
      asked.push(ids);
      return ids.flatMap((id) => {
        const script = states.get(id) ?? ['gone'];
        const state = script.length > 1 ? script.shift()! : script[0]!;
        return state === 'gone' ? [] : [container(id, state)];
      });
    },
    apply(ids, fresh) {
      for (const id of ids) byId.delete(id);
      for (const c of fresh) byId.set(c.id, c);
    },
    onError: (error) => {
      throw error;
    },
  });
  return { byId, asked, queue };
}

describe('containers kept current from engine events', () => {
  it('asks again after a die whose listing still says running, until it agrees', async () => {
    const { byId, asked, queue } = tracked(new Map([['late', ['running', 'running', 'running', 'exited']]]));
    byId.set('late', container('late', 'running'));
    queue.event(event('late', 'kill'));
    queue.event(event('late', 'die'));
    await expect.poll(() => byId.get('late')?.state, { timeout: 5000 }).toBe('exited');
    expect(asked).toEqual([['late'], ['late'], ['late'], ['late']]);
    queue.close();
  });

  it('stops asking after its tries when the listing never agrees, and a newer event supersedes the re-ask', async () => {
    vi.useFakeTimers();
    try {
      const { byId, asked, queue } = tracked(new Map([['stuck', ['running']]]));
      queue.event(event('stuck', 'die'));
      await vi.advanceTimersByTimeAsync(60_000);
      expect(asked.length).toBe(8);
      expect(byId.get('stuck')?.state).toBe('running');
      queue.event(event('stuck', 'start'));
      await vi.advanceTimersByTimeAsync(60_000);
      expect(asked.length).toBe(9);
      queue.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('applies a batch after a listing queued before it, and drops a destroyed container without asking', async () => {
    const { byId, asked, queue } = tracked(new Map([['a', ['running']]]));
    let release!: () => void;
    const listing = queue.enqueue(
      () =>
        new Promise<void>((resolve) => {
          release = () => {
            byId.set('a', container('a', 'created'));
            byId.set('b', container('b', 'running'));
            resolve();
          };
        }),
    );
    queue.event(event('a', 'start'));
    queue.event(event('b', 'destroy'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(asked).toEqual([]);
    release();
    await listing;
    await queue.flush();
    expect([...byId.values()].map((c) => [c.id, c.state])).toEqual([['a', 'running']]);
    expect(asked).toEqual([['a']]);
    queue.close();
  });

  it('asks for at most 100 ids at a time', async () => {
    const { asked, queue } = tracked(new Map());
    for (let i = 0; i < 250; i++) queue.event(event(`c${i}`, 'create'));
    await queue.flush();
    expect(asked.map((ids) => ids.length)).toEqual([100, 100, 50]);
    queue.close();
  });
});
