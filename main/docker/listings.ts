// What the engine holds, read through the Engine API and shaped for the contract.
import { z } from 'zod';
import type { ContainerSummary } from './contract.ts';
import { composeLabels } from './compose/labels.ts';
import { engineShape, type Engine, type Query } from './engine.ts';
import { podsByContainer } from './pods.ts';

// The fields Lanyard reads, checked: an engine (or something posing as one) that answers otherwise gets a clear
// error naming the field, never a TypeError deep in a suggestion. Fields Lanyard does not read pass unchecked.
const apiPort = z.object({ IP: z.string().optional(), PrivatePort: z.number(), PublicPort: z.number().optional(), Type: z.string() });
const apiContainer = z.object({
  Id: z.string(),
  Names: z.array(z.string()).nullish(),
  Image: z.string(),
  State: z.string(),
  Status: z.string(),
  Created: z.number(),
  Ports: z.array(apiPort).nullish(),
  Labels: z.record(z.string(), z.string()).nullish(),
});
const apiImage = z.object({ Id: z.string(), RepoTags: z.array(z.string()).nullish(), Size: z.number(), Created: z.number() });
const apiVolume = z.object({ Name: z.string(), Driver: z.string() });
const apiNetwork = z.object({ Id: z.string(), Name: z.string(), Driver: z.string() });
export type ApiImage = z.infer<typeof apiImage>;
export type ApiVolume = z.infer<typeof apiVolume>;
export type ApiNetwork = z.infer<typeof apiNetwork>;

/** GET a listing and check its shape. */
async function listing<T>(engine: Engine, schema: z.ZodType<T>, path: string, query?: Query): Promise<T> {
  return engineShape(schema, await engine.json<unknown>('GET', path, query), `GET ${path}`);
}

function port(p: z.infer<typeof apiPort>): string {
  return p.PublicPort
    ? `${p.IP && p.IP !== '0.0.0.0' ? `${p.IP}:` : ''}${p.PublicPort}->${p.PrivatePort}/${p.Type}`
    : `${p.PrivatePort}/${p.Type}`;
}

export async function listContainers(engine: Engine, all: boolean, filters?: Record<string, string[]>): Promise<ContainerSummary[]> {
  const list = await listing(engine, z.array(apiContainer), '/containers/json', {
    all,
    filters: filters ? JSON.stringify(filters) : undefined,
  });
  const pods = await podsByContainer(engine);
  return list.map((c) => {
    // The engine lists names with a leading "/" (and links as "/other/alias"): the first plain one is the name.
    const name = (c.Names ?? []).map((n) => n.replace(/^\//, '')).find((n) => !n.includes('/')) ?? c.Id.slice(0, 12);
    return {
      id: c.Id,
      name,
      image: c.Image,
      state: c.State,
      status: c.Status,
      // The engine lists each binding once per address family; show each once.
      ports: [...new Set((c.Ports ?? []).map(port))],
      created: c.Created,
      compose: composeLabels(c.Labels, name),
      ...(pods.has(c.Id) ? { pod: pods.get(c.Id)! } : {}),
    };
  });
}

export const listImages = (engine: Engine) => listing(engine, z.array(apiImage), '/images/json');
export const listVolumes = async (engine: Engine) =>
  (await listing(engine, z.object({ Volumes: z.array(apiVolume).nullish() }), '/volumes')).Volumes ?? [];
export const listNetworks = (engine: Engine) => listing(engine, z.array(apiNetwork), '/networks');
