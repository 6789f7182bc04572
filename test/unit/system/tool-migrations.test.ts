// Every tool's schema steps, in one layout (main/<tool>/migrations/NNNN-name.ts, found by folder and applied in file
// order when the tool's store opens), each tested: its id matches its file and tool, it applies on the schema the
// steps before it leave, once.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tools } from '../../../main/contract/tools.ts';
import { migrate, openDatabase, openToolDatabase, toolMigrations } from '../../../main/system/database.ts';
import { repoRoot } from '../../support/paths.ts';
import { tempDir } from '../../support/temp-dir.ts';

const withMigrations = tools.map(({ name }) => ({ name, steps: toolMigrations(name) })).filter((t) => t.steps.length > 0);

describe('tool migrations', () => {
  it('the stores with a schema are found by their tools’ folders', () => {
    expect(withMigrations.map((t) => t.name).sort()).toEqual(['certs', 'history']);
  });

  it('opening a tool’s store applies its steps and no other tool’s, once', () => {
    const dir = tempDir();
    const ids = (db: ReturnType<typeof openDatabase>) => db.prepare('SELECT id FROM schema_migrations ORDER BY id').pluck().all();
    const certs = openToolDatabase(dir, 'certs');
    expect(ids(certs)).toEqual(['certs.1', 'certs.2', 'certs.3']);
    certs.close();
    let told = 0;
    const history = openToolDatabase(dir, 'history', () => told++);
    expect(ids(history)).toEqual(['certs.1', 'certs.2', 'certs.3', 'history.1', 'history.2', 'history.3', 'history.4']);
    expect(told).toBe(0); // history's steps were all new: not an upgrade
    history.close();
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
