// Podman pods as groups in the containers panel: members gathered under one header where the pod first appears.
import { describe, expect, it } from 'vitest';
import type { ContainerSummary } from '../../../main/contract/index.ts';
import { podRows } from '../../../renderer/src/views/docker/pod-groups.ts';

const container = (name: string, pod?: string): ContainerSummary => ({
  id: name,
  name,
  image: 'busybox',
  state: 'created',
  status: 'Created',
  ports: [],
  created: 0,
  ...(pod ? { pod } : {}),
});

describe('podRows', () => {
  it('gathers a pod’s containers under its header, in the order the pod first appears; others stay in place', () => {
    const rows = podRows([container('a'), container('web', 'shop'), container('b'), container('db', 'shop'), container('x', 'other')]);
    expect(rows.map((r) => (r.kind === 'pod' ? `pod:${r.pod}(${r.count})` : r.container.name))).toEqual([
      'a',
      'pod:shop(2)',
      'web',
      'db',
      'b',
      'pod:other(1)',
      'x',
    ]);
  });

  it('Docker (no pods): the rows are the containers as they were', () => {
    const list = [container('a'), container('b')];
    expect(podRows(list)).toEqual(list.map((c) => ({ kind: 'container', container: c })));
  });
});
