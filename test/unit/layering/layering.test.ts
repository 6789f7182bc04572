// The house rules as data (.dependency-cruiser.cjs), checked by dependency-cruiser over main/ and renderer/src:
// the contract stands alone, tools never import up, tools meet only through public files, the renderer imports
// only the contract, display helpers and itself, system/ imports no tool, Electron reaches services only through
// the host process, and nothing imports in a cycle.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tools } from '../../../main/contract/tools.ts';
import { cruise, describeViolation, folderGraph, type Cruise } from '../../../main/build/import-graph.ts';
import { repoRoot } from '../../support/paths.ts';

let cruised: Cruise;

describe('layering (dependency-cruiser)', () => {
  beforeAll(() => {
    cruised = cruise();
  }, 60_000);

  it('finds no import that breaks a house rule', () => {
    process.stdout.write(folderGraph(cruised));
    expect(cruised.summary.violations.map(describeViolation)).toEqual([]);
  });

  it('every rule applies to some module, so none is silently empty', () => {
    const sources = cruised.modules.map((m) => m.source);
    for (const rule of cruised.summary.ruleSetUsed.forbidden) {
      const from = rule.from.path;
      if (from === undefined) continue;
      const patterns = (Array.isArray(from) ? from : [from]).map((p) => new RegExp(p));
      expect(
        sources.some((s) => patterns.some((p) => p.test(s))),
        rule.name,
      ).toBe(true);
    }
  });

  it('the tool list and the folders with a public file are the same, so the rules cover every tool', () => {
    const main = path.join(repoRoot, 'main');
    const withToolFile = readdirSync(main, { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(path.join(main, e.name, 'tool.ts')))
      .map((e) => e.name)
      .sort();
    expect(withToolFile).toEqual(tools.map((t) => t.name).sort());
  });
});
