// Vite's eager import.meta.glob for the esbuild bundles, so main/ code that Vite, vitest and esbuild all build can
// find files by folder (contract/index.ts finds each tool's contract.ts). Only the eager form is supported:
// `import.meta.glob<T>('../*/file.ts', { eager: true, import: 'name' })` becomes static imports of the matches.
import { globSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'esbuild';

// Our own source, not outside input: a literal pattern and an options object without nested braces.
const call = /import\.meta\.glob(?:<[^>]*>)?\(\s*'([^']+)'\s*,\s*\{([^}]*)\}\s*\)/g;

export function eagerGlob(source: string, dir: string): string {
  const imports: string[] = [];
  const body = source.replace(call, (whole, pattern: string, options: string) => {
    if (!/\beager:\s*true\b/.test(options)) throw new Error(`only eager import.meta.glob is bundled: ${whole}`);
    const named = /\bimport:\s*'([A-Za-z_$][\w$]*)'/.exec(options)?.[1];
    const entries = globSync(pattern, { cwd: dir })
      .map((file) => (file.startsWith('.') ? file : `./${file}`).split(path.sep).join('/'))
      .sort()
      .map((file) => {
        const id = `__glob${imports.length}`;
        imports.push(
          named ? `import { ${named} as ${id} } from ${JSON.stringify(file)};` : `import * as ${id} from ${JSON.stringify(file)};`,
        );
        return `${JSON.stringify(file)}: ${id}`;
      });
    return `{ ${entries.join(', ')} }`;
  });
  return `${imports.join('\n')}\n${body}`;
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
