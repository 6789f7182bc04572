// `npm run graph` (node main/build/import-graph.ts): the house rules checked by dependency-cruiser
// (.dependency-cruiser.cjs), and the folder-level import graph. The layering test runs the same check.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Dependency {
  resolved: string;
  coreModule: boolean;
  couldNotResolve: boolean;
}
interface Module {
  source: string;
  dependencies: Dependency[];
}
export interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: { name: string }[];
}
export interface Cruise {
  modules: Module[];
  summary: { violations: Violation[]; ruleSetUsed: { forbidden: { name: string; from: { path?: string | string[] } }[] } };
}

/** Run dependency-cruiser over the app's code (main/ and renderer/src) with the house rules. */
export function cruise(): Cruise {
  const bin = path.join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs');
  const result = spawnSync(
    process.execPath,
    [bin, 'main', 'renderer/src', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'],
    {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  // Exit 0 clean, else the count of violations: both leave the whole result on stdout.
  if (!result.stdout) throw new Error(`dependency-cruiser failed: ${result.stderr || result.error?.message}`);
  return JSON.parse(result.stdout) as Cruise;
}

export function describeViolation(v: Violation): string {
  const via = v.cycle ? ` (cycle: ${v.cycle.map((c) => c.name).join(' → ')})` : '';
  return `${v.rule.name}: ${v.from} → ${v.to}${via}`;
}

/** A module's place in the graph: its folder, or, for another tool's public file, that file. */
function node(file: string): string {
  if (file.startsWith('renderer/')) return 'renderer';
  const parts = file.split('/');
  if (parts[0] !== 'main' || parts.length < 3) return file;
  return parts[parts.length - 1] === 'tool.ts' && parts.length === 3 ? `${parts[1]}/tool.ts` : parts[1]!;
}

/** One line per folder: the folders (and other tools' public files) it imports; packages and Node left out. */
export function folderGraph(cruised: Cruise): string {
  const edges = new Map<string, Set<string>>();
  for (const m of cruised.modules) {
    if (!m.source.startsWith('main/') && !m.source.startsWith('renderer/')) continue;
    const from = node(m.source).replace(/\/tool\.ts$/, '');
    const targets = edges.get(from) ?? new Set<string>();
    edges.set(from, targets);
    for (const d of m.dependencies) {
      if (d.coreModule || d.couldNotResolve || !(d.resolved.startsWith('main/') || d.resolved.startsWith('renderer/'))) continue;
      const to = node(d.resolved);
      if (to !== from && to !== `${from}/tool.ts`) targets.add(to);
    }
  }
  const width = Math.max(...[...edges.keys()].map((k) => k.length));
  return [
    'Folder-level imports (a → b: some file in a imports b). Host, CLI and Doctor load main/<tool>/tool.ts by name',
    'from contract/tools.ts (system/tool-files.ts), so those arrows are not drawn: no folder imports a tool but through tool.ts.',
    ...[...edges.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([from, to]) => `  ${from.padEnd(width)} → ${[...to].sort().join(', ') || '(nothing of ours)'}`),
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cruised = cruise();
  process.stdout.write(folderGraph(cruised));
  const violations = cruised.summary.violations;
  process.stdout.write(
    violations.length === 0
      ? 'House rules: no violations.\n'
      : `House rules: ${violations.length} violations\n${violations.map((v) => `  ${describeViolation(v)}`).join('\n')}\n`,
  );
  process.exitCode = violations.length === 0 ? 0 : 1;
}
