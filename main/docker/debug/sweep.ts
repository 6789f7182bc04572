// Leftovers of debug sessions whose Lanyard died (the terminal went, the helper stayed): helpers, snapshots
// and tool volumes labelled with an owner on this host whose process is gone are removed, before the first debug
// shell a process opens on that engine (debug.ts).
import os from 'node:os';
import { z } from 'zod';
import { engineShape, type Engine } from '../engine.ts';
import { processAlive } from '../../system/process-alive.ts';
import { debugOwnerLabel } from './plan.ts';

/** This process as an owner label value. */
export function debugOwner(): string {
  return `${os.hostname()}:${process.pid}`;
}

/** An owner on this host whose process has ended; owners on other hosts are theirs to sweep. */
export function ownerGone(owner: string | undefined): boolean {
  if (!owner) return false;
  const colon = owner.lastIndexOf(':');
  const pid = Number(owner.slice(colon + 1));
  return owner.slice(0, colon) === os.hostname() && Number.isInteger(pid) && pid > 0 && !processAlive(pid);
}

const labelled = z.object({ Labels: z.record(z.string(), z.string()).nullish() });
const filters = JSON.stringify({ label: [debugOwnerLabel] });

/** Remove what dead owners left; returns how many objects went. Failures are left for the next sweep. */
export async function sweepDebugLeftovers(engine: Engine): Promise<number> {
  let removed = 0;
  const gone = (labels: Record<string, string> | null | undefined) => ownerGone(labels?.[debugOwnerLabel]);
  const attempt = async (method: 'DELETE', path: string, query: Record<string, boolean>) => {
    try {
      await engine.json(method, path, query);
      removed++;
    } catch {
      // in use or already gone: the next sweep tries again
    }
  };
  const containers = engineShape(
    z.array(labelled.extend({ Id: z.string() })),
    await engine.json('GET', '/containers/json', { all: true, filters }),
    'GET /containers/json',
  );
  for (const c of containers.filter((c) => gone(c.Labels))) await attempt('DELETE', `/containers/${c.Id}`, { force: true });
  const images = engineShape(
    z.array(labelled.extend({ Id: z.string() })),
    await engine.json('GET', '/images/json', { filters }),
    'GET /images/json',
  );
  for (const i of images.filter((i) => gone(i.Labels))) await attempt('DELETE', `/images/${i.Id}`, { force: true });
  const volumes = engineShape(
    z.object({ Volumes: z.array(labelled.extend({ Name: z.string() })).nullish() }),
    await engine.json('GET', '/volumes', { filters }),
    'GET /volumes',
  );
  for (const v of (volumes.Volumes ?? []).filter((v) => gone(v.Labels)))
    await attempt('DELETE', `/volumes/${encodeURIComponent(v.Name)}`, {});
  return removed;
}
