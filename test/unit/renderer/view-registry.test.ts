// The views come from the tool list (labels, order) and from each view folder's index.ts (icon, actions, code),
// found by Vite's import.meta.glob: every listed tool has a view folder, and every view folder is a listed tool.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { views } from '../../../main/contract/tools.ts';
import { registry } from '../../../renderer/src/views/registry.tsx';
import { repoRoot } from '../../support/paths.ts';

describe('view registry', () => {
  it('lists one view per tool, in the tool list’s order, with its label', () => {
    expect(registry.map(({ id, label }) => ({ id, label }))).toEqual(views.map(({ id, label }) => ({ id, label })));
  });

  it('takes each view’s icon and palette actions from its folder, actions named after their tool', () => {
    for (const view of registry) {
      expect(view.icon, view.id).not.toBe('');
      expect(view.actions.length, view.id).toBeGreaterThan(0);
      for (const action of view.actions) expect(action.id.startsWith(`${view.id}.`), action.id).toBe(true);
    }
  });

  it('has no view folder that the tool list does not name', () => {
    const dir = path.join(repoRoot, 'renderer', 'src', 'views');
    const folders = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(folders.sort()).toEqual(views.map((v) => v.id).sort());
  });
});
