// A cheat's template: shell text whose `<name>` placeholders become quoted words. The template is read as the
// shell that runs it reads it (template-syntax.ts): a placeholder must sit in a plain word, never inside quotes,
// a substitution or a script another shell runs. That word is quoted whole after substitution, so
// `<volume>:<path>` stays one argument and no value (`x; touch pwned`) can become shell syntax.
import { shellDialect, templatePlaceholders, type CheatFileEntry, type Placeholder, type Rendered, type ShellDialect } from './contract.ts';
import { quoteArg, ShellQuoteError } from '../system/shell-quote.ts';
import { readTemplate } from './template-syntax.ts';

/** Kinds whose values name engine objects or files: at the start of a word, a leading "-" would make it an option. */
const namedKinds = new Set<Placeholder['kind']>(['container', 'image', 'volume', 'network', 'context', 'port', 'path']);

/** Problems with a cheat's shape (unknown or unused placeholders, placeholders a shell would not read as a plain word); empty when sound. */
export function checkCheat(cheat: CheatFileEntry): string[] {
  const problems: string[] = [];
  const used = templatePlaceholders(cheat.template);
  const declared = cheat.placeholders.map((p) => p.name);
  for (const name of used) if (!declared.includes(name)) problems.push(`${cheat.id}: <${name}> is used but not declared`);
  for (const name of declared) if (!used.includes(name)) problems.push(`${cheat.id}: ${name} is declared but not used`);
  // A cheat may run under any of them (the user's shell decides): the first dialect that objects is reported.
  const syntax =
    shellDialect.options.map((dialect) => readTemplate(cheat.template, dialect).problems).find((found) => found.length > 0) ?? [];
  problems.push(...syntax.map((p) => `${cheat.id}: ${p.message}`));
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

/** A template no shell could be trusted to read as its author meant (see template-syntax.ts). */
export class TemplateError extends Error {}

/** Refuse values that would change what docker does rather than what it acts on; `wordStart`: the value begins its argument. */
export function checkValue(p: Placeholder, value: string, wordStart = true): void {
  if (wordStart && namedKinds.has(p.kind) && value.startsWith('-'))
    throw new ValueError(p.name, `${p.name} cannot start with "-": docker would read "${value}" as an option.`);
  if (/[\0\r\n]/.test(value)) throw new ValueError(p.name, `${p.name} cannot hold a line break or NUL.`);
}

/**
 * The command line for these values, quoted for `dialect`. A placeholder without a value (nor default) stays
 * as `<name>` in the text and is listed in `missing`: such a command is a preview, never something to run.
 */
export function renderCheat(cheat: CheatFileEntry, values: Record<string, string>, dialect: ShellDialect): Rendered {
  const syntax = readTemplate(cheat.template, dialect);
  const problem = syntax.problems[0];
  if (problem) throw new TemplateError(`${cheat.id}: ${problem.message}`);
  const missing: string[] = [];
  let command = '';
  let at = 0;
  for (const word of syntax.words) {
    const text = cheat.template.slice(word.wordStart, word.wordEnd);
    const names = templatePlaceholders(text);
    let absent = false;
    const filled = text.replace(/<([a-z][a-z0-9_-]*)>/g, (_, name: string) => {
      const p = cheat.placeholders.find((x) => x.name === name);
      const value = values[name] ?? p?.default;
      if (value === undefined || value === '') {
        absent = true;
        if (!missing.includes(name)) missing.push(name);
        return `<${name}>`;
      }
      if (p) checkValue(p, value, text.startsWith(`<${name}>`));
      return value;
    });
    let quoted = filled;
    if (!absent) {
      try {
        quoted = quoteArg(filled, dialect);
      } catch (error) {
        if (error instanceof ShellQuoteError) throw new ValueError(names[0]!, `${names.map((n) => `<${n}>`).join(', ')}: ${error.message}`);
        throw error;
      }
    }
    command += cheat.template.slice(at, word.wordStart) + quoted;
    at = word.wordEnd;
  }
  return { command: command + cheat.template.slice(at), missing, dialect };
}

/** Commands that delete or stop things: imported cheats holding one are flagged dangerous (`--rm` is not one). */
export const destructiveCommand = /(?<!-)\b(rm|rmi|prune|down|kill)\b/;
