// Podman's pods as groups in the containers panel: each pod's containers together under a header row, in the
// order the pod first appears; containers in no pod stay where they are.
import type { ContainerSummary } from '../../../../main/contract/index.ts';

export type PanelRow = { kind: 'pod'; pod: string; count: number } | { kind: 'container'; container: ContainerSummary };

export function podRows(containers: ContainerSummary[]): PanelRow[] {
  const byPod = new Map<string, ContainerSummary[]>();
  for (const c of containers) {
    if (!c.pod) continue;
    const members = byPod.get(c.pod);
    if (members) members.push(c);
    else byPod.set(c.pod, [c]);
  }
  const rows: PanelRow[] = [];
  for (const c of containers) {
    if (!c.pod) rows.push({ kind: 'container', container: c });
    else if (byPod.get(c.pod)![0] === c) {
      const members = byPod.get(c.pod)!;
      rows.push({ kind: 'pod', pod: c.pod, count: members.length });
      for (const member of members) rows.push({ kind: 'container', container: member });
    }
  }
  return rows;
}
