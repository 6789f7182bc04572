// tldr pages (Markdown): `# name`, `> summary`, then `- what it does:` and a `` `command` `` with {{placeholders}}.
// Content from tldr-pages is CC BY 4.0: every imported cheat carries the credit.
import type { CheatFileEntry } from '../../contract/docker.ts';
import { destructiveCommand } from '../template.ts';
import { kindFromName, slugId, slugName, unquotePlaceholders } from './placeholders.ts';

export const tldrCredit = 'tldr-pages (https://tldr.sh), CC BY 4.0';

export function parseTldr(text: string, fileBase: string): CheatFileEntry[] {
  const lines = text.split(/\r?\n/);
  const page = lines.find((l) => l.startsWith('# '))?.slice(2).trim() ?? fileBase;
  const cheats: CheatFileEntry[] = [];
  let description = '';
  for (const line of lines) {
    if (line.startsWith('- ')) description = line.slice(2).trim().replace(/:$/, '');
    const code = /^`(.+)`$/.exec(line.trim());
    if (!code || !description) continue;
    const defaults = new Map<string, string>();
    // {{[-a|--all]}} (newer pages) is an option written two ways: keep the long one, literally.
    const body = replacePlaceholders(replaceOptions(code[1]!), (raw) => {
      const name = slugName(raw);
      if (!defaults.has(name)) defaults.set(name, raw);
      return `<${name}>`;
    });
    const template = unquotePlaceholders(body);
    cheats.push({
      id: slugId(`tldr-${fileBase}-${cheats.length + 1}`),
      title: description,
      description: `${page}: ${description}`,
      tags: [page, ...page.split(/\s+/)].filter((t, i, all) => all.indexOf(t) === i),
      template,
      placeholders: [...defaults].map(([name, raw]) => ({ name, ...kindFromName(name), description: raw })),
      danger: destructiveCommand.test(template),
      credit: tldrCredit,
    });
    description = '';
  }
  return cheats;
}

// Hand scans, not /\{\{(.+?)\}\}/g and its like: those retry from every `{{` of a long unclosed run (quadratic).

/** `{{[-a|--all]}}` → `--all` (or `-a` when the long form is empty); the first `|` splits the two. */
export function replaceOptions(text: string): string {
  let out = '';
  let pos = 0;
  for (;;) {
    const open = text.indexOf('{{[', pos);
    const close = open < 0 ? -1 : text.indexOf(']', open + 3);
    if (close < 0) break;
    const inner = text.slice(open + 3, close);
    const bar = inner.indexOf('|');
    // No start before this `]` can do better: each would end at the same `]`, with less inside.
    const taken = bar >= 0 && text.startsWith(']}}', close);
    out += taken ? text.slice(pos, open) + (inner.slice(bar + 1) || inner.slice(0, bar)) : text.slice(pos, close + 1);
    pos = taken ? close + 3 : close + 1;
  }
  return out + text.slice(pos);
}

/** Each `{{name}}` (at least one character inside, up to the first `}}`) replaced by `name(inside)`. */
export function replacePlaceholders(text: string, name: (raw: string) => string): string {
  let out = '';
  let pos = 0;
  for (;;) {
    const open = text.indexOf('{{', pos);
    const close = open < 0 ? -1 : text.indexOf('}}', open + 3);
    if (close < 0) break;
    out += text.slice(pos, open) + name(text.slice(open + 2, close));
    pos = close + 2;
  }
  return out + text.slice(pos);
}
