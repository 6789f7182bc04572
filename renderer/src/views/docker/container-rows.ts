// The containers panel's rows: Compose projects first (by name, each followed by its containers), then Podman's
// pods (each under a header row, in the order the pod first appears), then the other containers, by name.
import type { ContainerSummary } from '../../../../main/docker/contract.ts';

export type Row =
  | { kind: 'group'; project: string; running: number; total: number }
  | { kind: 'pod'; pod: string; count: number; running: number }
  | { kind: 'container'; container: ContainerSummary; grouped: boolean };

export function containerRows(containers: readonly ContainerSummary[]): Row[] {
  const projects = new Map<string, ContainerSummary[]>();
  const pods = new Map<string, ContainerSummary[]>();
  const loose: ContainerSummary[] = [];
  const add = (map: Map<string, ContainerSummary[]>, key: string, c: ContainerSummary) => {
    const members = map.get(key);
    if (members) members.push(c);
    else map.set(key, [c]);
  };
  for (const c of containers) {
    if (c.compose) add(projects, c.compose.project, c);
    else if (c.pod) add(pods, c.pod, c);
    else loose.push(c);
  }
  const byName = (a: ContainerSummary, b: ContainerSummary) => a.name.localeCompare(b.name);
  const rows: Row[] = [];
  for (const project of [...projects.keys()].sort()) {
    const members = projects.get(project)!.sort(byName);
    rows.push({ kind: 'group', project, running: members.filter((c) => c.state === 'running').length, total: members.length });
    for (const container of members) rows.push({ kind: 'container', container, grouped: true });
  }
  for (const [pod, members] of pods) {
    rows.push({ kind: 'pod', pod, count: members.length, running: members.filter((c) => c.state === 'running').length });
    for (const container of members) rows.push({ kind: 'container', container, grouped: true });
  }
  for (const container of loose.sort(byName)) rows.push({ kind: 'container', container, grouped: false });
  return rows;
}
