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
    const body = code[1]!
      .replace(/\{\{\[([^\]|]*)\|([^\]]*)\]\}\}/g, (_, short: string, long: string) => long || short)
      .replace(/\{\{(.+?)\}\}/g, (_, raw: string) => {
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
