// Vite's eager import.meta.glob for the esbuild bundles, so main/ code that Vite, vitest and esbuild all build can
// find files by folder (contract/index.ts finds each tool's contract.ts). Only the eager form is supported:
// `import.meta.glob<T>('../*/file.ts', { eager: true, import: 'name' })` becomes static imports of the matches.
import { globSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'esbuild';

const marker = 'import.meta.glob';

/** Each `import.meta.glob…(…)` call in `source` with its pattern and options text, scanned forward once. */
export function globCalls(source: string): { start: number; end: number; pattern: string; options: string }[] {
  const calls: { start: number; end: number; pattern: string; options: string }[] = [];
  let at = source.indexOf(marker);
  while (at !== -1) {
    // A call: the marker, a type argument of at most 100 characters, then `(` (a mention in a comment is not one).
    let open = at + marker.length;
    if (source[open] === '<') {
      const end = source.slice(open, open + 100).indexOf('>');
      open = end === -1 ? -1 : open + end + 1;
    }
    if (open === -1 || source[open] !== '(') {
      at = source.indexOf(marker, at + marker.length);
      continue;
    }
    const close = source.indexOf(')', open);
    if (close === -1) break;
    const args = source.slice(open + 1, close);
    const quote = args.indexOf("'");
    const endQuote = args.indexOf("'", quote + 1);
    if (quote === -1 || endQuote === -1) throw new Error(`import.meta.glob needs a literal pattern: ${source.slice(at, close + 1)}`);
    calls.push({ start: at, end: close + 1, pattern: args.slice(quote + 1, endQuote), options: args.slice(endQuote + 1) });
    at = source.indexOf(marker, close);
  }
  return calls;
}

export function eagerGlob(source: string, dir: string): string {
  const imports: string[] = [];
  let body = '';
  let done = 0;
  for (const call of globCalls(source)) {
    if (!/\beager:\s*true\b/.test(call.options))
      throw new Error(`only eager import.meta.glob is bundled: ${source.slice(call.start, call.end)}`);
    const named = /\bimport:\s*'([A-Za-z_$][\w$]*)'/.exec(call.options)?.[1];
    const entries = globSync(call.pattern, { cwd: dir })
      .map((file) => (file.startsWith('.') ? file : `./${file}`).split(path.sep).join('/'))
      .sort()
      .map((file) => {
        const id = `__glob${imports.length}`;
        imports.push(
          named ? `import { ${named} as ${id} } from ${JSON.stringify(file)};` : `import * as ${id} from ${JSON.stringify(file)};`,
        );
        return `${JSON.stringify(file)}: ${id}`;
      });
    body += `${source.slice(done, call.start)}{ ${entries.join(', ')} }`;
    done = call.end;
  }
  return `${imports.join('\n')}\n${body}${source.slice(done)}`;
}

export const globPlugin: Plugin = {
  name: 'eager-import-meta-glob',
  setup(build) {
    build.onLoad({ filter: /[\\/]main[\\/].*\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.glob')) return undefined;
      return { contents: eagerGlob(source, path.dirname(args.path)), loader: 'ts' };
    });
  },
};
