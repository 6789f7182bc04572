// What the engine holds, read through the Engine API and shaped for the contract.
import type { ContainerSummary } from '../contract/docker.ts';
import type { Engine } from './engine.ts';

interface ApiContainer {
  Id: string;
  Names?: string[];
  Image: string;
  State: string;
  Status: string;
  Created: number;
  Ports?: { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }[];
}
export interface ApiImage {
  Id: string;
  RepoTags?: string[] | null;
  Size: number;
  Created: number;
}
export interface ApiVolume {
  Name: string;
  Driver: string;
}
export interface ApiNetwork {
  Id: string;
  Name: string;
  Driver: string;
}

function port(p: NonNullable<ApiContainer['Ports']>[number]): string {
  return p.PublicPort ? `${p.IP && p.IP !== '0.0.0.0' ? `${p.IP}:` : ''}${p.PublicPort}->${p.PrivatePort}/${p.Type}` : `${p.PrivatePort}/${p.Type}`;
}

export async function listContainers(engine: Engine, all: boolean): Promise<ContainerSummary[]> {
  const list = await engine.json<ApiContainer[]>('GET', '/containers/json', { all });
  return list.map((c) => ({
    id: c.Id,
    // The engine lists names with a leading "/" (and links as "/other/alias"): the first plain one is the name.
    name: (c.Names ?? []).map((n) => n.replace(/^\//, '')).find((n) => !n.includes('/')) ?? c.Id.slice(0, 12),
    image: c.Image,
    state: c.State,
    status: c.Status,
    // The engine lists each binding once per address family; show each once.
    ports: [...new Set((c.Ports ?? []).map(port))],
    created: c.Created,
  }));
}

export const listImages = (engine: Engine) => engine.json<ApiImage[]>('GET', '/images/json');
export const listVolumes = async (engine: Engine) => (await engine.json<{ Volumes: ApiVolume[] | null }>('GET', '/volumes')).Volumes ?? [];
export const listNetworks = (engine: Engine) => engine.json<ApiNetwork[]>('GET', '/networks');
