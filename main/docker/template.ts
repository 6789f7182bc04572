// A cheat's template: shell text whose `<name>` placeholders become quoted words.
// A word holding a placeholder is quoted whole after substitution, so `<volume>:<path>` stays one argument
// and no value (`x; touch pwned`) can become shell syntax.
import { placeholderPattern, templatePlaceholders, type CheatFileEntry, type Placeholder, type Rendered, type ShellDialect } from '../contract/docker.ts';
import { quoteWord } from './quote.ts';

const shellSyntax = /['"`$\\]/;

/** Kinds whose values name engine objects: a leading "-" would turn the value into a docker option. */
const namedKinds = new Set<Placeholder['kind']>(['container', 'image', 'volume', 'network', 'context', 'port']);

/** Problems with a cheat's shape (unknown or unused placeholders, placeholders inside quotes); empty when sound. */
export function checkCheat(cheat: CheatFileEntry): string[] {
  const problems: string[] = [];
  const used = templatePlaceholders(cheat.template);
  const declared = cheat.placeholders.map((p) => p.name);
  for (const name of used) if (!declared.includes(name)) problems.push(`${cheat.id}: <${name}> is used but not declared`);
  for (const name of declared) if (!used.includes(name)) problems.push(`${cheat.id}: ${name} is declared but not used`);
  for (const word of cheat.template.split(/\s+/)) {
    if (templatePlaceholders(word).length > 0 && shellSyntax.test(word.replace(placeholderPattern, ''))) problems.push(`${cheat.id}: placeholder inside shell syntax in "${word}"`);
  }
  for (const p of cheat.placeholders) {
    if (p.kind === 'choice' && !(p.choices && p.choices.length > 0)) problems.push(`${cheat.id}: choice ${p.name} has no choices`);
  }
  return problems;
}

export class ValueError extends Error {
  readonly placeholder: string;
  constructor(placeholder: string, message: string) {
    super(message);
    this.placeholder = placeholder;
  }
}

/** Refuse values that would change what docker does rather than what it acts on. */
export function checkValue(p: Placeholder, value: string): void {
  if (namedKinds.has(p.kind) && value.startsWith('-')) throw new ValueError(p.name, `${p.name} cannot start with "-": docker would read "${value}" as an option.`);
  if (/[\0\r\n]/.test(value)) throw new ValueError(p.name, `${p.name} cannot hold a line break or NUL.`);
}

/**
 * The command line for these values. A placeholder without a value (nor default) stays as `<name>` in the
 * text and is listed in `missing`: such a command is a preview, never something to run.
 */
export function renderCheat(cheat: CheatFileEntry, values: Record<string, string>, dialect: ShellDialect): Rendered {
  const missing: string[] = [];
  const valueOf = (name: string): string | null => {
    const p = cheat.placeholders.find((x) => x.name === name);
    const value = values[name] ?? p?.default;
    if (value === undefined || value === '') return null;
    if (p) checkValue(p, value);
    return value;
  };
  const command = cheat.template.replace(/\S+/g, (word) => {
    const names = templatePlaceholders(word);
    if (names.length === 0) return word;
    let absent = false;
    const filled = word.replace(placeholderPattern, (_, name: string) => {
      const value = valueOf(name);
      if (value === null) {
        absent = true;
        if (!missing.includes(name)) missing.push(name);
        return `<${name}>`;
      }
      return value;
    });
    return absent ? filled : quoteWord(filled, dialect);
  });
  return { command, missing, dialect };
}

/** Commands that delete or stop things: imported cheats holding one are flagged dangerous (`--rm` is not one). */
export const destructiveCommand = /(?<!-)\b(rm|rmi|prune|down|kill)\b/;
