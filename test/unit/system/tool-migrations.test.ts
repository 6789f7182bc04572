// Every tool's schema steps, in one layout (main/<tool>/migrations/NNNN-name.ts, listed in order by its index.ts),
// each tested: its id matches its file and tool, it applies on the schema the steps before it leave, once.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../../main/system/database.ts';
import { loadTools } from '../../../main/system/tool-files.ts';
import { repoRoot } from '../../support/paths.ts';
import { tempDir } from '../../support/temp-dir.ts';

const withMigrations = await Promise.all(
  (await loadTools()).flatMap((tool) => (tool.migrations ? [tool.migrations().then((steps) => ({ name: tool.name, steps }))] : [])),
);

describe('tool migrations', () => {
  it('the stores with a schema are found through the tools’ public files', () => {
    expect(withMigrations.map((t) => t.name).sort()).toEqual(['certs', 'history']);
  });

  for (const { name, steps } of withMigrations) {
    describe(name, () => {
      const files = readdirSync(path.join(repoRoot, 'main', name, 'migrations'))
        .filter((f) => f !== 'index.ts')
        .sort();

      it('lists one file per step, NNNN-name.ts, in order, each id <tool>.<NNNN as a number>', () => {
        expect(
          files.every((f) => /^\d{4}-[a-z0-9-]+\.ts$/.test(f)),
          files.join(', '),
        ).toBe(true);
        expect(steps.map((s) => s.id)).toEqual(files.map((f) => `${name}.${Number(f.slice(0, 4))}`));
      });

      for (const [index, step] of steps.entries()) {
        it(`${files[index]} (${step.id}) applies on the schema before it, once`, () => {
          const db = openDatabase(tempDir());
          expect(migrate(db, steps.slice(0, index))).toEqual(steps.slice(0, index).map((s) => s.id));
          expect(migrate(db, steps.slice(0, index + 1))).toEqual([step.id]);
          expect(migrate(db, steps)).toEqual(steps.slice(index + 1).map((s) => s.id));
          expect(migrate(db, steps)).toEqual([]);
          expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
          db.close();
        });
      }
    });
  }
});
