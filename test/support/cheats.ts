// A cheat built from a bare template for the template tests: every <name> in it a text placeholder.
import type { CheatFileEntry } from '../../main/docker/contract.ts';

export function textCheat(template: string): CheatFileEntry {
  const names = [...new Set([...template.matchAll(/<([a-z]+)>/g)].map((m) => m[1]!))];
  return {
    id: 't',
    title: 't',
    description: '',
    tags: [],
    danger: false,
    template,
    placeholders: names.map((name) => ({ name, kind: 'text' })),
  };
}
