// A cheat's template read the way the shell that runs it reads it: one pass over the text tracking that
// shell's quotes, escapes, substitutions and comments, so a placeholder inside a multi-word string
// (`sh -c "echo <msg> from lanyard"`) is seen inside it, not as a word of its own. Linear in the template.
import { placeholderPattern, type ShellDialect } from './contract.ts';

/** A placeholder where the shell reads it as (part of) a plain word: the word is replaced by the quoted value. */
export interface PlainSite {
  name: string;
  /** The plain word holding it, as offsets into the template. */
  wordStart: number;
  wordEnd: number;
}

export interface TemplateProblem {
  /** The placeholder concerned; null when the template itself is broken (an unclosed quote). */
  placeholder: string | null;
  message: string;
}

export interface TemplateSyntax {
  /** One entry per plain word holding placeholders, in order. */
  words: PlainSite[];
  /** Why a placeholder cannot be filled safely; empty when every one can. */
  problems: TemplateProblem[];
}

type Frame =
  | 'single quotes'
  | 'ANSI-C quotes'
  | 'double quotes'
  | 'backquotes'
  | 'a command substitution'
  | 'braces'
  | 'a comment'
  | 'a here-document'
  | 'a block comment'
  | 'text after --%';

// Literal characters a placeholder's word may hold besides placeholders: they mean the same inside quotes as
// outside in every dialect, so the whole word can be quoted after filling it.
const wordChar = /[A-Za-z0-9_@%+=:,./-]/;
const separator = /[;&|\n]/;
const boundary = /^[ \t\r\n;&|<>]$/;

const shellNames = new Set([
  'sh',
  'dash',
  'ash',
  'bash',
  'zsh',
  'ksh',
  'mksh',
  'fish',
  'busybox',
  'pwsh',
  'powershell',
  'cmd',
  'su',
  'runuser',
]);

const psSingle = "'\u2018\u2019\u201a\u201b";
const psDouble = '"\u201c\u201d\u201e';

/** Longer templates are refused: a cheat is one command line, and the script check looks back along its command per placeholder. */
export const maxTemplateLength = 8192;

/** The placeholders of a template, where each sits for this dialect, and what is wrong with any of them. */
export function readTemplate(template: string, dialect: ShellDialect): TemplateSyntax {
  if (template.length > maxTemplateLength)
    return {
      words: [],
      problems: [
        { placeholder: null, message: `the template is ${template.length} characters long; a cheat's is at most ${maxTemplateLength}.` },
      ],
    };
  const placeholderAt = new Map<number, { name: string; end: number }>();
  for (const m of template.matchAll(placeholderPattern)) placeholderAt.set(m.index, { name: m[1]!, end: m.index + m[0].length });
  const problems: TemplateProblem[] = [];
  const plain: { name: string; at: number }[] = [];
  const stack: Frame[] = [];
  /** Characters made literal by an escape: an escaped blank joins words instead of parting them. */
  const escaped = new Set<number>();
  const family =
    dialect === 'fish' ? 'fish' : dialect === 'powershell' || dialect === 'pwsh' ? 'powershell' : dialect === 'cmd' ? 'cmd' : 'posix';
  const escapeChar = family === 'powershell' ? '`' : family === 'cmd' ? '^' : '\\';
  let heredocPending = false;

  const inside = (at: number, where: string) => {
    const p = placeholderAt.get(at)!;
    problems.push({
      placeholder: p.name,
      message: `<${p.name}> sits ${where} in "${template}": the ${dialect} shell would read its value as part of that, not as one argument. Move it out into a word of its own.`,
    });
  };
  const wordStart = (i: number) => i === 0 || /[ \t\r\n;&|(]/.test(template[i - 1]!);

  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    const next = template[i + 1] ?? '';
    const top = stack.at(-1);
    const p = placeholderAt.get(i);
    if (p) {
      if (top === undefined) plain.push({ name: p.name, at: i });
      else inside(i, `inside ${top}`);
      i = p.end - 1;
      continue;
    }
    if (top === 'a comment' || top === 'a here-document' || top === 'text after --%') {
      if (ch === '\n' && top !== 'a here-document') stack.pop();
      continue;
    }
    if (top === 'a block comment') {
      if (ch === '#' && next === '>') stack.pop(), i++;
      continue;
    }
    if (top === 'single quotes') {
      if (family === 'fish' && ch === '\\' && (next === '\\' || next === "'")) i++;
      else if (family === 'powershell' ? psSingle.includes(ch) : ch === "'") {
        if (family === 'powershell' && psSingle.includes(next)) i++;
        else stack.pop();
      }
      continue;
    }
    if (top === 'ANSI-C quotes') {
      if (ch === '\\') i++;
      else if (ch === "'") stack.pop();
      continue;
    }
    if (top === 'double quotes' && family === 'cmd') {
      if (ch === '"') stack.pop();
      continue;
    }
    // An escape makes the next character literal, wherever the shell honours one.
    if (ch === escapeChar && top !== 'braces') {
      if (placeholderAt.has(i + 1)) inside(i + 1, `after the escape character ${escapeChar}`), (i = placeholderAt.get(i + 1)!.end - 1);
      else escaped.add(++i);
      continue;
    }
    if (top === 'double quotes') {
      if (family === 'powershell' ? psDouble.includes(ch) : ch === '"') {
        if (family === 'powershell' && psDouble.includes(next)) i++;
        else stack.pop();
      } else if (ch === '$' && next === '(') stack.push('a command substitution'), i++;
      else if (family === 'posix' && ch === '$' && next === '{') stack.push('braces'), i++;
      else if (family === 'posix' && ch === '`') stack.push('backquotes');
      continue;
    }
    if (top === 'backquotes' && ch === '`') {
      stack.pop();
      continue;
    }
    if (top === 'braces' && ch === '}') {
      stack.pop();
      continue;
    }
    if ((top === 'a command substitution' || top === 'braces') && ch === ')') {
      if (top === 'a command substitution') stack.pop();
      continue;
    }
    // Top level, or the inside of a substitution, which the shell reads like top level.
    if (heredocPending && ch === '\n') {
      stack.push('a here-document');
      continue;
    }
    if (family === 'cmd') {
      if (ch === '"') stack.push('double quotes');
      continue;
    }
    if (ch === '#' && wordStart(i)) stack.push('a comment');
    else if (family === 'powershell' && psSingle.includes(ch)) stack.push('single quotes');
    else if (family === 'powershell' && psDouble.includes(ch)) stack.push('double quotes');
    else if (ch === "'") stack.push(family === 'posix' && template[i - 1] === '$' ? 'ANSI-C quotes' : 'single quotes');
    else if (ch === '"') stack.push('double quotes');
    else if (family === 'posix' && ch === '`') stack.push('backquotes');
    else if (ch === '(' || ((ch === '$' || ch === '@' || ch === '<' || ch === '>') && next === '(')) {
      if (ch !== '(') i++;
      // A bare ( at the top is a subshell for sh, read like the top level; inside a substitution it nests.
      if (family !== 'posix' || ch !== '(' || top !== undefined) stack.push('a command substitution');
    } else if (family === 'posix' && ch === ')') continue;
    else if (ch === '$' && next === '{') stack.push('braces'), i++;
    else if (ch === '{' && family !== 'posix') stack.push('braces');
    else if (family === 'posix' && ch === '<' && next === '<' && template[i + 2] !== '<') heredocPending = true;
    else if (family === 'powershell' && ch === '<' && next === '#') stack.push('a block comment'), i++;
    else if (family === 'powershell' && template.startsWith('--%', i) && wordStart(i)) stack.push('text after --%');
  }
  for (const frame of stack)
    if (frame === 'single quotes' || frame === 'ANSI-C quotes' || frame === 'double quotes' || frame === 'backquotes')
      problems.push({ placeholder: null, message: `"${template}" leaves ${frame} open for the ${dialect} shell.` });
  return { words: plainWords(template, plain, placeholderAt, escaped, problems), problems };
}

/** The plain word around each top-level placeholder: placeholders and literal word characters up to a blank or operator. */
function plainWords(
  template: string,
  plain: { name: string; at: number }[],
  placeholderAt: Map<number, { name: string; end: number }>,
  escaped: Set<number>,
  problems: TemplateProblem[],
): PlainSite[] {
  const placeholderEnds = new Map([...placeholderAt].map(([start, p]) => [p.end, start]));
  const scriptRole = scriptRoles(template);
  const words: PlainSite[] = [];
  for (const { name, at } of plain) {
    const last = words.at(-1);
    if (last && at < last.wordEnd) continue;
    let start = at;
    for (;;) {
      const before = placeholderEnds.get(start);
      if (before !== undefined) start = before;
      else if (start > 0 && wordChar.test(template[start - 1]!)) start--;
      else break;
    }
    let end = at;
    for (;;) {
      const p = placeholderAt.get(end);
      if (p) end = p.end;
      else if (end < template.length && wordChar.test(template[end]!)) end++;
      else break;
    }
    const offending = [start - 1, end]
      .map((at) => (escaped.has(at) ? `${template[at - 1]}${template[at]}` : template[at]))
      .find((c) => c !== undefined && !boundary.test(c));
    if (offending !== undefined) {
      const message = `<${name}> shares a word with shell syntax (${offending}) in "${template.slice(Math.max(0, start - 1), end + 1)}": the value could not be quoted as one argument. Give the placeholder a word of its own, or only letters, digits and _@%+=:,./- beside it.`;
      problems.push({ placeholder: name, message });
      continue;
    }
    const script = scriptRole(start);
    const whole = placeholderAt.get(start)?.end === end;
    if (script && !(whole && script.whole(end))) {
      const message = `<${name}> is part of a script that ${script.runner} runs: its value would be read as code there, not as one argument. Make the placeholder the whole script, or pass it as an argument (sh -c '… "$1"' sh <${name}>).`;
      problems.push({ placeholder: name, message });
      continue;
    }
    words.push({ name, wordStart: start, wordEnd: end });
  }
  return words;
}

/** ssh's options that take a value: the first other word after them is the host, the rest the remote script. */
const sshValued = /^-[BbcDEeFIiJLlmOopQRSWw]$/;

type ScriptRole = { runner: string; whole: (end: number) => boolean } | null;

/** A word that runs what follows: a shell, eval, watch or ssh; `join` is the -Command or /c flag that makes every later word script. */
interface Runner {
  index: number;
  name: string;
  join: { flag: string; index: number } | null;
  /** ssh: the index of its host word, once seen. */
  host: number | null;
  /** eval, watch: every word since is an option or a number. */
  optionsOnly: boolean;
}

/** Runners tracked in one command: past it the command is refused rather than read word by word again and again. */
const maxRunners = 16;
const isOption = (word: string) => word.startsWith('-') || /^\d+(\.\d+)?$/.test(word);
/** A runner whose answer no later runner can change: the role loop stops at it. */
const decisive = (r: Runner) => joiners.has(r.name) || (r.name === 'ssh' && r.host !== null) || r.join !== null;

const joiners = new Set(['eval', 'watch']);
const joinFlag = (runner: string, flag: string) =>
  (runner === 'cmd' && /^\/[ck]$/i.test(flag)) ||
  ((runner === 'pwsh' || runner === 'powershell') && /^-(c(o(m(m(a(n(d)?)?)?)?)?)?|e(c|ncodedcommand)?)$/i.test(flag));

/**
 * For each placeholder word, in template order: whether it is (part of) a script some shell runs — the word
 * after -c (sh, bash, fish, su…), or any word after -Command (PowerShell), /c (cmd), eval, watch or ssh HOST,
 * which join their words into one script. `whole(end)` says whether a placeholder ending at `end` would be that
 * entire script. One forward pass over the template for all of them, so many placeholders cost no more.
 */
function scriptRoles(template: string): (start: number) => ScriptRole {
  // restBlank[i]: nothing but blanks from i to the end of its command.
  const restBlank: boolean[] = new Array<boolean>(template.length + 1);
  restBlank[template.length] = true;
  for (let i = template.length - 1; i >= 0; i--)
    restBlank[i] = separator.test(template[i]!) || (/\s/.test(template[i]!) && restBlank[i + 1]!);
  const lastWord = (end: number) => restBlank[end]!;
  let at = 0;
  let words: string[] = [];
  let runners: Runner[] = [];
  let tooMany = false;
  let word = '';
  const push = () => {
    if (!word) return;
    const plain = word.replace(/['"`\\]/g, '');
    const name = plain
      .replace(/^.*[\\/]/, '')
      .toLowerCase()
      .replace(/\.exe$/, '');
    // Each runner's state moves forward with the words, so a placeholder's role is read without going back over them.
    for (const r of runners) {
      if (r.name === 'ssh') {
        if (r.host === null && !plain.startsWith('-') && !(words.length - 1 > r.index && sshValued.test(words.at(-1)!)))
          r.host = words.length;
      } else if (joiners.has(r.name)) {
        if (!isOption(plain)) r.optionsOnly = false;
      } else if (!r.join && joinFlag(r.name, plain)) r.join = { flag: plain, index: words.length };
    }
    if ((joiners.has(name) || name === 'ssh' || shellNames.has(name)) && !runners.some(decisive)) {
      if (runners.length === maxRunners) tooMany = true;
      else runners.push({ index: words.length, name, join: null, host: null, optionsOnly: true });
    }
    words.push(plain);
    word = '';
  };
  return (start) => {
    for (; at < start; at++) {
      const ch = template[at]!;
      if (separator.test(ch)) push(), (words = []), (runners = []), (tooMany = false);
      else if (/\s/.test(ch)) push();
      else word += ch;
    }
    push();
    const previous = words.at(-1) ?? '';
    const afterDashC = /^(-[A-Za-z]*c[A-Za-z]*|--command(=.*)?)$/.test(previous);
    if (tooMany) return { runner: `more than ${maxRunners} commands that run others`, whole: () => false };
    for (const r of runners) {
      if (joiners.has(r.name)) return { runner: `${r.name} hands to a shell`, whole: (end) => lastWord(end) && r.optionsOnly };
      if (r.name === 'ssh') {
        const host = r.host;
        if (host !== null) return { runner: 'ssh hands to the remote shell', whole: (end) => lastWord(end) && host === words.length - 1 };
        continue;
      }
      const join = r.join;
      if (join) return { runner: `${r.name} ${join.flag}`, whole: (end) => join.index === words.length - 1 && lastWord(end) };
      if (afterDashC && words.length - 1 > r.index) return { runner: `${r.name} ${previous}`, whole: () => true };
    }
    return null;
  };
}
