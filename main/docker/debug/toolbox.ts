// The toolbox image a debug helper runs: one the engine already has (busybox, then alpine), or the user's
// pick. Lanyard never pulls one: without it, the error says how to get one.
import { ServiceError } from '../../contract/errors.ts';
import type { Engine } from '../engine.ts';
import { listImages } from '../listings.ts';

/** busybox first: one static binary, so it also works inside a stopped container's snapshot. */
const preferred = ['busybox', 'alpine'];

function repository(tag: string): string {
  const colon = tag.lastIndexOf(':');
  const name = colon > tag.lastIndexOf('/') ? tag.slice(0, colon) : tag;
  return name.slice(name.lastIndexOf('/') + 1);
}

/** The best toolbox among these tags, or null: busybox:latest, any busybox, then alpine likewise. */
export function pickToolbox(tags: readonly string[], only: readonly string[] = preferred): string | null {
  for (const name of only) {
    const matching = tags.filter((t) => repository(t) === name);
    const best = matching.find((t) => t === `${name}:latest`) ?? matching.sort()[0];
    if (best) return best;
  }
  return null;
}

const noToolbox = (snapshot: boolean) =>
  new ServiceError(
    'not-found',
    snapshot
      ? 'A stopped container is debugged with the busybox image (one static binary), and this engine has none. Lanyard never pulls images.'
      : 'No toolbox image on this engine (busybox or alpine), and Lanyard never pulls images.',
    { hint: 'Get one yourself with `docker pull busybox` (about 4 MB), or pick an image holding a shell with --image.' },
  );

/**
 * What the toolbox is picked from: the user's image checked to be on the engine (never pulled), else every tag
 * the engine has. Asked before the target's state is known, so both requests go at once (debug.ts).
 */
export async function toolboxImages(engine: Engine, picked: string | undefined): Promise<string[]> {
  if (!picked) return (await listImages(engine)).flatMap((image) => image.RepoTags ?? []);
  try {
    await engine.json('GET', `/images/${encodeURIComponent(picked)}/json`);
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'not-found')
      throw new ServiceError('not-found', `The image "${picked}" is not on this engine, and Lanyard never pulls images.`, {
        hint: `Pull it yourself with \`docker pull ${picked}\`, or leave the image out to use busybox or alpine.`,
      });
    throw error;
  }
  return [picked];
}

/** The image to run the helper from; `snapshot`: the target is stopped, which needs a static busybox. */
export function pickFrom(tags: readonly string[], picked: string | undefined, snapshot: boolean): string {
  if (picked) return picked;
  const found = pickToolbox(tags, snapshot ? ['busybox'] : preferred);
  if (!found) throw noToolbox(snapshot);
  return found;
}
