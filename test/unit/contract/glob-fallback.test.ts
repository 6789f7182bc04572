// The on-disk glob (plain Node running the sources) finds exactly what Vite's and the build's globs find.
import { describe, expect, it } from 'vitest';
import { globOnDisk } from '../../../main/contract/glob-fallback.ts';

const base = new URL('../../../main/contract/index.ts', import.meta.url).href;
const names = (files: Record<string, unknown>, prefix: string) =>
  Object.keys(files)
    .map((key) => key.slice(prefix.length))
    .sort();

describe('globOnDisk', () => {
  it("finds every tool's contract, with its methods, as import.meta.glob does", () => {
    const disk = globOnDisk<{ methods: object }>(base, '../*/contract.ts', 'contract');
    const vite = import.meta.glob<{ methods: object }>('../../../main/*/contract.ts', { eager: true, import: 'contract' });
    expect(names(disk, '../')).toEqual(names(vite, '../../../main/'));
    for (const [key, contract] of Object.entries(disk))
      expect(Object.keys(contract.methods)).toEqual(Object.keys(vite[`../../../main/${key.slice(3)}`]!.methods));
  });

  it("finds every tool's migrations in file order, as import.meta.glob does", () => {
    const disk = globOnDisk<{ id: string }>(base, '../*/migrations/*.ts', 'migration');
    const vite = import.meta.glob<{ id: string }>('../../../main/*/migrations/*.ts', { eager: true, import: 'migration' });
    expect(names(disk, '../')).toEqual(names(vite, '../../../main/'));
    expect(Object.values(disk).map((m) => m.id)).toContain('history.4');
  });

  it('a pattern that matches nothing gives nothing', () => {
    expect(globOnDisk(base, '../*/no-such-file.ts', 'x')).toEqual({});
  });
});
