// The direction of imports, as VS Code and Signal Desktop enforce it: a file's folder says where it may run.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/paths.ts';

function sources(dir: string): string[] {
  return readdirSync(path.join(repoRoot, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|js|mjs|cjs)$/.test(e.name))
    .map((e) => path.relative(repoRoot, path.join(e.parentPath, e.name)));
}

/** Every module specifier a file imports, exports from, or loads dynamically. */
export function importsOf(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\bimport\s+(?:type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/g, /\bexport\s+(?:type\s+)?[^'"]*?\s+from\s+['"]([^'"]+)['"]/g, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]!);
  return found;
}

/** Resolve a relative specifier to a repo path; bare specifiers stay as they are. */
function target(file: string, specifier: string): string {
  return specifier.startsWith('.') ? path.relative(repoRoot, path.resolve(repoRoot, path.dirname(file), specifier)) : specifier;
}

function violations(dir: string, allowed: (target: string, file: string) => boolean): string[] {
  return sources(dir).flatMap((file) =>
    importsOf(readFileSync(path.join(repoRoot, file), 'utf8'))
      .map((spec) => target(file, spec))
      .filter((t) => !allowed(t, file))
      .map((t) => `${file} imports ${t}`),
  );
}

const isBare = (t: string) => !t.startsWith('main/') && !t.startsWith('renderer/') && !t.startsWith('test/') && !t.startsWith('..') && !t.startsWith('resources/') && t !== 'package.json';

describe('layering', () => {
  it('finds imports the way the rule needs', () => {
    expect(importsOf(`import a from './a.ts';\nimport type { B } from "../b.ts";\nexport { c } from './c.ts';\nconst d = await import('./d.ts');\nimport 'x.css';`)).toEqual(['./a.ts', '../b.ts', 'x.css', './c.ts', './d.ts']);
  });

  it('the renderer imports only itself, the contract and browser packages', () => {
    const nodeOnly = /^(node:|electron$|better-sqlite3|node-pty|ws$)/;
    expect(violations('renderer/src', (t) => t.startsWith('renderer/') || t.startsWith('main/contract/') || (isBare(t) && !nodeOnly.test(t)))).toEqual([]);
  });

  it('services, the host and the CLI never import electron or the renderer', () => {
    const dirs = readdirSync(path.join(repoRoot, 'main'), { withFileTypes: true }).filter((e) => e.isDirectory() && e.name !== 'app' && e.name !== 'build');
    for (const dir of dirs) expect(violations(`main/${dir.name}`, (t) => t !== 'electron' && !t.startsWith('renderer/')), dir.name).toEqual([]);
  });

  it('the contract depends on nothing but zod and itself', () => {
    expect(violations('main/contract', (t) => t === 'zod' || t.startsWith('main/contract/'))).toEqual([]);
  });

  it('Electron code (main/app) reaches services only through the host process', () => {
    const allowed = (t: string) => isBare(t) || t.startsWith('main/app/') || t.startsWith('main/contract/') || t.startsWith('main/system/') || t === 'main/host/port-channel.ts';
    expect(violations('main/app', allowed)).toEqual([]);
  });
});
