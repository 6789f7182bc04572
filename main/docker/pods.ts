// Podman's pods, which its Docker-compatible container listing does not mention: one request to its own API
// (/libpod/pods/json) maps each container to its pod, so the containers panel can show a pod as a group.
import { z } from 'zod';
import { engineShape, type Engine } from './engine.ts';

const apiPod = z.object({
  Name: z.string(),
  Containers: z.array(z.object({ Id: z.string() })).nullish(),
});

/** Container id → pod name, for a Podman engine; empty for Docker. */
export async function podsByContainer(engine: Engine): Promise<Map<string, string>> {
  const byContainer = new Map<string, string>();
  if ((await engine.negotiated()).flavour !== 'podman') return byContainer;
  const pods = engineShape(z.array(apiPod), await engine.libpod<unknown>('/pods/json'), 'GET /libpod/pods/json');
  for (const pod of pods) for (const c of pod.Containers ?? []) byContainer.set(c.Id, pod.Name);
  return byContainer;
}
