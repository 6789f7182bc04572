// navi .cheat files: `% tags`, `# description`, command lines with <placeholders>, `$ name: command` suggestions.
import { templatePlaceholders, type CheatFileEntry, type Placeholder } from '../contract.ts';
import { boundedLines } from '../cheat-bounds.ts';
import { destructiveCommand } from '../template.ts';
import { kindFromListing, slugId, slugName, unquotePlaceholders } from './placeholders.ts';

/** A `$ name: command --- options` line as its name and command, found with indexOf (no backtracking pattern). */
function suggestionLine(line: string): { name: string; command: string } | null {
  const colon = line.indexOf(':');
  if (colon < 0) return null;
  const name = line.slice(1, colon).trim();
  if (!name) return null;
  const rest = line.slice(colon + 1);
  const options = rest.search(/\s---\s/);
  return { name, command: (options < 0 ? rest : rest.slice(0, options)).trim() };
}

/** Command lines as one: a line ending in a backslash continues on the next, joined by one space. */
function joinContinued(lines: string[]): string {
  const out: string[] = [];
  let continued = false;
  for (const line of lines) {
    const part: string = continued ? line.trimStart() : line;
    const continues: boolean = part.endsWith('\\');
    const body = continues ? part.slice(0, -1).trimEnd() : part;
    if (continued) out[out.length - 1] += ` ${body}`;
    else out.push(body);
    continued = continues;
  }
  return out.join('\n');
}

/** The cheats of a navi file; lines over the length bound are skipped and counted in a note in `problems`. */
export function parseNavi(text: string, fileBase: string, problems: string[] = []): CheatFileEntry[] {
  const cheats: CheatFileEntry[] = [];
  const kinds = new Map<string, Pick<Placeholder, 'kind' | 'state'>>();
  let tags: string[] = [];
  let description = '';
  let command: string[] = [];
  const pending: { tags: string[]; description: string; command: string }[] = [];

  const flush = () => {
    if (command.length > 0) pending.push({ tags, description, command: joinContinued(command) });
    command = [];
    description = '';
  };

  for (const raw of boundedLines(text, problems)) {
    const line = raw.trimEnd();
    if (line.startsWith('%')) {
      flush();
      tags = line
        .slice(1)
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
    } else if (line.startsWith('#')) {
      flush();
      description = line.slice(1).trim();
    } else if (line.startsWith('$')) {
      flush();
      const suggestion = suggestionLine(line);
      const kind = suggestion ? kindFromListing(suggestion.command) : null;
      if (suggestion && kind) kinds.set(slugName(suggestion.name), kind);
    } else if (line.startsWith(';') || line.startsWith('@')) {
      flush();
    } else if (line.trim() === '') {
      flush();
    } else command.push(line);
  }
  flush();

  pending.forEach((entry, index) => {
    const template = unquotePlaceholders(entry.command.replace(/<([A-Za-z_][\w-]*)>/g, (_, n: string) => `<${slugName(n)}>`));
    // A command of nothing but continuation backslashes: no cheat (ids keep their position in the file).
    if (template.trim() === '') return;
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
