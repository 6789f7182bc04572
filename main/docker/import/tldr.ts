// tldr pages (Markdown): `# name`, `> summary`, then `- what it does:` and a `` `command` `` with {{placeholders}}.
// Content from tldr-pages is CC BY 4.0: every imported cheat carries the credit.
import type { CheatFileEntry } from '../contract.ts';
import { boundedLines } from '../cheat-bounds.ts';
import { destructiveCommand } from '../template.ts';
import { kindFromName, slugId, slugName, unquotePlaceholders } from './placeholders.ts';

export const tldrCredit = 'tldr-pages (https://tldr.sh), CC BY 4.0';

/** Each `{{…}}` of a line replaced by what `replace` makes of its inside; found with indexOf, so linear. */
function replaceBraces(line: string, replace: (inside: string) => string): string {
  let out = '';
  let at = 0;
  for (let open; (open = line.indexOf('{{', at)) >= 0; ) {
    const close = line.indexOf('}}', open + 2);
    if (close < 0) break;
    out += line.slice(at, open) + replace(line.slice(open + 2, close));
    at = close + 2;
  }
  return out + line.slice(at);
}

/** The cheats of a tldr page; lines over the length bound are skipped and counted in a note in `problems`. */
export function parseTldr(text: string, fileBase: string, problems: string[] = []): CheatFileEntry[] {
  const lines = boundedLines(text, problems);
  const page =
    lines
      .find((l) => l.startsWith('# '))
      ?.slice(2)
      .trim() ?? fileBase;
  const cheats: CheatFileEntry[] = [];
  let description = '';
  for (const line of lines) {
    if (line.startsWith('- ')) description = line.slice(2).trim().replace(/:$/, '');
    const code = /^`(.+)`$/.exec(line.trim());
    if (!code || !description) continue;
    const defaults = new Map<string, string>();
    const body = replaceBraces(code[1]!, (raw) => {
      // {{[-a|--all]}} (newer pages) is an option written two ways: keep the long one, literally.
      const option = /^\[([^\]|]*)\|([^\]]*)\]$/.exec(raw);
      if (option) return option[2] || option[1]!;
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
