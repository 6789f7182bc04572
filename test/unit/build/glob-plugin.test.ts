// The build's eager import.meta.glob (main/build/glob-plugin.ts): the same files Vite's finds, as static imports,
// and a linear scan that never hangs or throws anything but an Error on any text.
import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eagerGlob, globCalls } from '../../../main/build/glob-plugin.ts';
import { cpuMs, fuzz, mutated } from '../../support/fuzz.ts';
import { tempDir } from '../../support/temp-dir.ts';

const source =
  "// found by import.meta.glob: (a mention, not a call)\nconst found = import.meta.glob<Contract>('../*/contract.ts', { eager: true, import: 'contract' });\nexport { found };\n";

describe('eagerGlob', () => {
  it('turns the call into static imports of the matching files, sorted, keyed as Vite keys them', () => {
    const root = tempDir();
    for (const tool of ['b', 'a']) {
      mkdirSync(path.join(root, tool));
      writeFileSync(path.join(root, tool, 'contract.ts'), '');
    }
    mkdirSync(path.join(root, 'here'));
    expect(eagerGlob(source, path.join(root, 'here'))).toBe(
      [
        'import { contract as __glob0 } from "../a/contract.ts";',
        'import { contract as __glob1 } from "../b/contract.ts";',
        '// found by import.meta.glob: (a mention, not a call)',
        'const found = { "../a/contract.ts": __glob0, "../b/contract.ts": __glob1 };',
        'export { found };',
        '',
      ].join('\n'),
    );
  });

  it('refuses the lazy form, which the Node bundles do not support', () => {
    expect(() => eagerGlob("import.meta.glob('./*.ts')", tempDir())).toThrow(/only eager/);
  });

  it('finds the calls in any text, or throws an Error, in linear time', () => {
    fuzz(
      fc.property(mutated(Buffer.from(source)), (input) => {
        const text = input.toString('latin1');
        try {
          for (const call of globCalls(text)) {
            const found = text.slice(call.start, call.end);
            expect(found.startsWith('import.meta.glob') && found.endsWith(')')).toBe(true);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
        }
      }),
    );
    for (const hostile of ['import.meta.glob<'.repeat(60_000), "import.meta.glob('x' ".repeat(50_000)])
      expect(cpuMs(() => expect(() => globCalls(hostile)).not.toThrow(TypeError))).toBeLessThan(500);
  });
});
