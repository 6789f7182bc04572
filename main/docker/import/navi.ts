// navi .cheat files: `% tags`, `# description`, command lines with <placeholders>, `$ name: command` suggestions.
import { templatePlaceholders, type CheatFileEntry, type Placeholder } from '../../contract/docker.ts';
import { destructiveCommand } from '../template.ts';
import { kindFromListing, slugId, slugName, unquotePlaceholders } from './placeholders.ts';

export function parseNavi(text: string, fileBase: string): CheatFileEntry[] {
  const cheats: CheatFileEntry[] = [];
  const kinds = new Map<string, Pick<Placeholder, 'kind' | 'state'>>();
  let tags: string[] = [];
  let description = '';
  let command: string[] = [];
  const pending: { tags: string[]; description: string; command: string }[] = [];

  const flush = () => {
    if (command.length > 0) pending.push({ tags, description, command: command.join('\n') });
    command = [];
    description = '';
  };

  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (line.startsWith('%')) {
      flush();
      tags = line.slice(1).split(',').map((t) => t.trim()).filter(Boolean);
    } else if (line.startsWith('#')) {
      flush();
      description = line.slice(1).trim();
    } else if (line.startsWith('$')) {
      flush();
      const match = /^\$\s*([^:\s][^:]*):\s*(.*?)(\s---\s.*)?$/.exec(line);
      const kind = match ? kindFromListing(match[2]!) : null;
      if (match && kind) kinds.set(slugName(match[1]!.trim()), kind);
    } else if (line.startsWith(';') || line.startsWith('@')) {
      flush();
    } else if (line.trim() === '') {
      flush();
    } else command.push(line);
  }
  flush();

  pending.forEach((entry, index) => {
    const template = unquotePlaceholders(joinContinued(entry.command).replace(/<([A-Za-z_][\w-]*)>/g, (_, n: string) => `<${slugName(n)}>`));
    const names = templatePlaceholders(template);
    cheats.push({
      id: slugId(`navi-${fileBase}-${index + 1}`),
      title: entry.description || template.split('\n')[0]!.slice(0, 60),
      description: entry.description,
      tags: entry.tags,
      template,
      placeholders: names.map((name) => ({ name, ...(kinds.get(name) ?? { kind: 'text' as const }) })),
      danger: destructiveCommand.test(template),
      credit: `navi cheat file ${fileBase}.cheat`,
    });
  });
  return cheats;
}

// Lines ending in a backslash joined with one space, the whitespace around each join dropped; a pattern for it
// (whitespace, backslash-newline, whitespace) would retry from every space of a long run: quadratic.
export function joinContinued(command: string): string {
  const parts = command.split('\\\n');
  return parts.map((part, i) => (i > 0 ? part.trimStart() : part)).map((part, i) => (i < parts.length - 1 ? part.trimEnd() : part)).join(' ');
}
