// Live values for a placeholder, straight from the engine (no `docker ps` text scraping).
import type { Placeholder, Suggestion } from './contract.ts';
import { listContexts } from './endpoint.ts';
import type { ContainerCache } from './container-cache.ts';
import type { Engine } from './engine.ts';
import { listContainers, listImages, listNetworks, listVolumes } from './listings.ts';

function size(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.round(bytes / 1e3)} kB`;
}

export interface SuggestRequest {
  kind: Placeholder['kind'];
  state?: 'running' | 'any' | undefined;
  choices?: string[] | undefined;
}

/** `cache`: the engine's containers kept current by events (container-cache.ts); without one, a listing per call. */
export async function suggest(
  engine: Engine,
  request: SuggestRequest,
  env: NodeJS.ProcessEnv,
  cache?: ContainerCache,
): Promise<Suggestion[]> {
  switch (request.kind) {
    case 'container': {
      const all = cache ? await cache.list() : await listContainers(engine, request.state !== 'running');
      const containers = request.state === 'running' ? all.filter((c) => c.state === 'running') : all;
      // Running ones first: they are what exec, logs and stop want.
      containers.sort((a, b) => Number(b.state === 'running') - Number(a.state === 'running') || b.created - a.created);
      return containers.map((c) => ({
        value: c.name,
        label: c.name,
        detail: `${c.image} · ${c.status}${c.ports.length ? ` · ${c.ports.join(', ')}` : ''}`,
      }));
    }
    case 'image': {
      const images = await listImages(engine);
      images.sort((a, b) => b.Created - a.Created);
      return images.flatMap((image) => {
        const tags = (image.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
        const short = image.Id.replace(/^sha256:/, '').slice(0, 12);
        if (tags.length === 0) return [{ value: short, label: short, detail: `untagged · ${size(image.Size)}` }];
        return tags.map((tag) => ({ value: tag, label: tag, detail: `${short} · ${size(image.Size)}` }));
      });
    }
    case 'volume':
      return (await listVolumes(engine))
        .map((v) => ({ value: v.Name, label: v.Name, detail: v.Driver }))
        .sort((a, b) => a.label.localeCompare(b.label));
    case 'network':
      return (await listNetworks(engine))
        .map((n) => ({ value: n.Name, label: n.Name, detail: n.Driver }))
        .sort((a, b) => a.label.localeCompare(b.label));
    case 'context':
      return listContexts(env).map((c) => ({ value: c.name, label: c.name, detail: c.host }));
    case 'choice':
      return (request.choices ?? []).map((c) => ({ value: c, label: c, detail: '' }));
    default:
      // path, port, text: free text (the last value used is offered by the caller).
      return [];
  }
}
