// "Adding a tool = its folder + one line in main/contract/tools.ts + its view folder": the shared code (host, CLI,
// contract, system, Doctor's service, the renderer's shell and view registry) must never name a tool. Walked with
// the TypeScript parser, so comments and prose do not count: a string literal that is a tool's name or one of its
// method names (`'certs'`, `'history.search'`), an import path into a tool's folder, or a property access on the
// typed client (`api.docker.…`) is a tool named in shared code.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { toolNames } from '../../../main/contract/tools.ts';
import { repoRoot } from '../../support/paths.ts';

/** The shared places a new tool would otherwise be added to. The list itself (contract/tools.ts) is the exception. */
const shared = [
  'main/host',
  'main/cli',
  'main/contract',
  'main/system',
  'main/doctor/service.ts',
  'main/doctor/handlers.ts',
  'main/doctor/tool.ts',
  'main/build',
  'renderer/src/App.tsx',
  'renderer/src/views/registry.tsx',
  'renderer/src/views/view-registration.ts',
];
const theList = 'main/contract/tools.ts';

function sourceFiles(entry: string): string[] {
  const full = path.join(repoRoot, entry);
  if (!statSync(full).isDirectory()) return [entry];
  return readdirSync(full, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|tsx)$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => path.join(entry, f));
}

/** Every place in `file` that names a tool, as "file:line: text". */
function toolMentions(file: string, text: string, names: readonly string[]): string[] {
  const source = ts.createSourceFile(
    file,
    text,
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const found: string[] = [];
  const names_ = new Set(names);
  const at = (node: ts.Node, what: string) =>
    found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}: ${what}`);
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteralLike(node)) {
      const value = node.text;
      const head = value.split('.')[0]!;
      const inPath = value.split('/').some((part) => names_.has(part));
      if (
        names_.has(value) ||
        (value.includes('.') && names_.has(head) && /^[a-z]+\.[a-zA-Z]+$/.test(value)) ||
        (value.includes('/') && inPath)
      )
        at(node, JSON.stringify(value));
    } else if (
      ts.isPropertyAccessExpression(node) &&
      names_.has(node.name.text) &&
      /\b(api|lanyard)$/.test(node.expression.getText(source))
    ) {
      at(node, node.getText(source));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('no shared file names a tool', () => {
  it('finds each kind of mention (the detector works)', () => {
    const sample = [
      "import { x } from '../certs/tool.ts'; // certs in a comment is fine",
      "const a = 'history.search'; const b = 'docker'; const c = 'a docker image';",
      'api.captures.start({});',
    ].join('\n');
    expect(toolMentions('sample.ts', sample, ['certs', 'history', 'docker', 'captures'])).toEqual([
      'sample.ts:1: "../certs/tool.ts"',
      'sample.ts:2: "history.search"',
      'sample.ts:2: "docker"',
      'sample.ts:3: api.captures',
    ]);
  });

  it('host, CLI, contract, system, Doctor, build and the renderer registry name no tool', () => {
    const files = shared.flatMap(sourceFiles).filter((f) => f !== theList);
    expect(files.length).toBeGreaterThan(40);
    // Doctor is a tool itself: its own files may name it, but no other tool.
    const mentions = files.flatMap((f) => {
      const names = toolNames.filter((name) => !f.startsWith(`main/${name}/`));
      return toolMentions(f, readFileSync(path.join(repoRoot, f), 'utf8'), names);
    });
    expect(mentions).toEqual([]);
  });
});
