// Podman pods as groups in the containers panel: members gathered under one header where the pod first appears.
import { describe, expect, it } from 'vitest';
import type { ContainerSummary } from '../../../main/docker/contract.ts';
import { containerRows } from '../../../renderer/src/views/docker/container-rows.ts';

const container = (name: string, pod?: string): ContainerSummary => ({
  id: name,
  name,
  image: 'busybox',
  state: 'created',
  status: 'Created',
  ports: [],
  created: 0,
  compose: null,
  ...(pod ? { pod } : {}),
});

describe('containerRows: pods', () => {
  it('gathers a pod’s containers under its header, in the order the pod first appears; the others after, by name', () => {
    const rows = containerRows([
      container('a'),
      container('web', 'shop'),
      container('b'),
      container('db', 'shop'),
      container('x', 'other'),
    ]);
    expect(
      rows.map((r) => (r.kind === 'pod' ? `pod:${r.pod}(${r.count})` : r.kind === 'container' ? r.container.name : r.project)),
    ).toEqual(['pod:shop(2)', 'web', 'db', 'pod:other(1)', 'x', 'a', 'b']);
  });

  it('a pod’s header counts its running members', () => {
    const rows = containerRows([{ ...container('web', 'shop'), state: 'running' }, container('db', 'shop')]);
    expect(rows[0]).toEqual({ kind: 'pod', pod: 'shop', count: 2, running: 1 });
  });

  it('Docker (no pods): the rows are the containers as they were', () => {
    const list = [container('a'), container('b')];
    expect(containerRows(list)).toEqual(list.map((c) => ({ kind: 'container', container: c, grouped: false })));
  });
});
