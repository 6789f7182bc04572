// Where a command line holds a secret, in time linear in its length (commands come from pastes: a 20 MB line must
// not hold the host thread). Token shapes are regexes that start with a literal and end with their one unbounded
// run, so a failed try never rescans a run; everything with context (NAME=value, `Header: value`, URL userinfo,
// `-p`/`--password` flags, key blocks) is a hand-written scan whose cursor only moves forward.

export interface Span {
  start: number;
  end: number;
}

/** What a secret is replaced with; a value that is already exactly this is not a secret again. */
export const redactedMark = '‹redacted›';

export interface TokenShape {
  id: string;
  label: string;
  /** JavaScript source; also POSIX ERE and PCRE2 when `ere` is true (the zsh and fish hooks can apply it). */
  source: string;
  ere: boolean;
  /** zsh globs at least one of which every match satisfies (the hooks' cheap pre-check); [] when not for hooks. */
  globs: readonly string[];
}

export const tokenShapes: readonly TokenShape[] = [
  {
    id: 'aws-key-id',
    label: 'AWS access key id',
    source: '(A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}',
    ere: true,
    globs: ['*A3T*', '*AKIA*', '*ASIA*', '*ABIA*', '*ACCA*'],
  },
  { id: 'google-api', label: 'Google API key', source: 'AIza[0-9A-Za-z_-]{35}', ere: true, globs: ['*AIza*'] },
  {
    id: 'github',
    label: 'GitHub token',
    source: '(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,}',
    ere: true,
    globs: ['*gh[pousr]_*', '*github_pat_*'],
  },
  {
    id: 'gitlab',
    label: 'GitLab token',
    source: '(glpat|gldt|glrt|glptt|glft|glsoat)-[A-Za-z0-9_-]{20,}',
    ere: true,
    globs: ['*gl[pdrfs]*-*'],
  },
  {
    id: 'slack',
    label: 'Slack token or webhook',
    source: 'xox[abeoprs]-[0-9A-Za-z-]{10,}|hooks[.]slack[.]com/services/[A-Za-z0-9/]+',
    ere: true,
    globs: ['*xox[abeoprs]-*', '*hooks.slack.com/services/*'],
  },
  {
    id: 'stripe',
    label: 'Stripe key',
    source: '[srp]k_(live|test)_[0-9A-Za-z]{16,}',
    ere: true,
    globs: ['*[srp]k_live_*', '*[srp]k_test_*'],
  },
  {
    id: 'openai',
    label: 'OpenAI / Anthropic key',
    source: 'sk-(proj-|svcacct-|admin-|ant-)?[A-Za-z0-9_-]{20,}',
    ere: true,
    globs: ['*sk-*'],
  },
  { id: 'netlify', label: 'Netlify token', source: 'nf[pcoub]_[A-Za-z0-9_-]{30,}', ere: true, globs: ['*nf[pcoub]_*'] },
  { id: 'npm', label: 'npm token', source: 'npm_[A-Za-z0-9]{36}', ere: true, globs: ['*npm_*'] },
  { id: 'pulumi', label: 'Pulumi token', source: 'pul-[a-f0-9]{40}', ere: true, globs: ['*pul-*'] },
  // Two dots after the run: a try from inside a run would rescan it, so a JWT starts only where a run does.
  {
    id: 'jwt',
    label: 'JSON Web Token',
    source: '(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}[.]eyJ[A-Za-z0-9_-]{8,}[.][A-Za-z0-9_-]*',
    ere: false,
    globs: [],
  },
];

const tokenRegexes = tokenShapes.map((t) => new RegExp(t.source, 'g'));

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isQuote = (c: string) => c === '"' || c === "'";
const isNameChar = (c: string) => /[A-Za-z0-9_.-]/.test(c);
/** Ends an unquoted value: what ends a shell word or a URL query parameter. */
const endsValue = (c: string) => isSpace(c) || ';&|<>),'.includes(c);

/**
 * A name whose value is a secret: …SECRET…, …TOKEN…, …PASSW…, …CREDENTIAL…, AUTHORIZATION, …_KEY / …-KEY / apiKey,
 * …_PWD, a word `auth`. Names of ASCII letters only count: a lowered name is compared, not a pattern run on it.
 */
export function secretName(name: string): boolean {
  const lower = name.replace(/^-+/, '').toLowerCase();
  if (['secret', 'token', 'passw', 'credential', 'authorization', 'apikey', 'privatekey', 'accesskey'].some((w) => lower.includes(w)))
    return true;
  if (/[_.-](key|pwd|pass)$/.test(lower) || /[a-z]Key$/.test(name)) return true;
  return lower.split(/[_.-]/).includes('auth');
}

/** A long flag named like a secret that takes no value (`--password-stdin`, `--token-file`): its next word is not one. */
const noValueFlag = /-(stdin|file|path|env|fd|cmd|command|prompt|dir)$/;

/** The value starting at `at`: a quoted string through its closing quote (or the end), else up to what ends a word. */
function valueAt(text: string, at: number): Span | null {
  if (at >= text.length) return null;
  const first = text[at]!;
  if (isQuote(first)) {
    const close = text.indexOf(first, at + 1);
    return { start: at, end: close < 0 ? text.length : close + 1 };
  }
  let end = at;
  while (end < text.length && !endsValue(text[end]!) && !isQuote(text[end]!)) end++;
  return end > at ? { start: at, end } : null;
}

const isMark = (text: string, s: Span) => s.end - s.start === redactedMark.length && text.startsWith(redactedMark, s.start);

/** Schemes an Authorization-like header puts before its credentials. */
const authSchemes = new Set(['bearer', 'basic', 'token', 'digest', 'bot', 'negotiate', 'apikey']);

/** NAME=value and `Name: value` (headers, JSON, YAML) where the name is a secret's. */
function namedValues(text: string, out: Span[]): void {
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const colon = c === ':' && i + 1 < text.length && (text[i + 1] === ' ' || text[i + 1] === '\t' || isQuote(text[i + 1]!));
    if (c !== '=' && !colon) {
      i++;
      continue;
    }
    // The name: the run of name characters just before, past one closing quote ("password": …).
    let nameEnd = i;
    if (colon && nameEnd > 0 && isQuote(text[nameEnd - 1]!)) nameEnd--;
    let nameStart = nameEnd;
    while (nameStart > 0 && isNameChar(text[nameStart - 1]!)) nameStart--;
    if (nameStart === nameEnd || !secretName(text.slice(nameStart, nameEnd))) {
      i++;
      continue;
    }
    let at = i + 1;
    if (colon) {
      while (at < text.length && (text[at] === ' ' || text[at] === '\t')) at++;
      let word = at;
      while (word < text.length && /[A-Za-z]/.test(text[word]!)) word++;
      if (word < text.length && text[word] === ' ' && authSchemes.has(text.slice(at, word).toLowerCase())) at = word + 1;
    }
    const value = valueAt(text, at);
    if (value && !isMark(text, value)) out.push(value);
    i = Math.max(i + 1, value?.end ?? 0);
  }
}

/** scheme://user:password@host: the password. */
function urlPasswords(text: string, out: Span[]): void {
  let from = 0;
  for (;;) {
    const at = text.indexOf('://', from);
    if (at < 0) return;
    let end = at + 3;
    let colon = -1;
    while (end < text.length && !'/?#@'.includes(text[end]!) && !isSpace(text[end]!) && !isQuote(text[end]!)) {
      if (colon < 0 && text[end] === ':') colon = end;
      end++;
    }
    if (text[end] === '@' && colon >= 0 && colon + 1 < end) {
      const span = { start: colon + 1, end };
      if (!isMark(text, span)) out.push(span);
    }
    from = end;
  }
}

/** -----BEGIN … PRIVATE KEY----- through its END line, or to the end of the text when that was cut off. */
function privateKeyBlocks(text: string, out: Span[]): void {
  let from = 0;
  for (;;) {
    const begin = text.indexOf('-----BEGIN ', from);
    if (begin < 0) return;
    const labelEnd = text.indexOf('-----', begin + 11);
    if (labelEnd < 0) return;
    if (!text.slice(begin + 11, labelEnd).includes('PRIVATE KEY')) {
      from = labelEnd;
      continue;
    }
    const endLine = text.indexOf('-----END ', labelEnd + 5);
    const close = endLine < 0 ? -1 : text.indexOf('-----', endLine + 9);
    const end = close < 0 ? text.length : close + 5;
    out.push({ start: begin, end });
    from = end;
  }
}

interface Word {
  start: number;
  end: number;
  /** The word as the shell reads it (quotes removed), for comparing with flag names: its first `keptChars`. */
  text: string;
  /** First word of a simple command. */
  first: boolean;
}

/** Ends a shell word outside quotes: blanks, and `;|&()` which also end a command. */
const endsWord = (c: string) => isSpace(c) || c === ';' || c === '|' || c === '&' || c === '(' || c === ')';
/** Words are compared with flag and program names: the first this many characters are all that is kept of one. */
const keptChars = 256;

/** Shell words of the text, roughly as sh splits them: quotes and backslashes kept together, `;|&()` and newlines end a command. */
export function shellWords(text: string): Word[] {
  const words: Word[] = [];
  let i = 0;
  let first = true;
  while (i < text.length) {
    const c = text[i]!;
    if (endsWord(c)) {
      if (c !== ' ' && c !== '\t') first = true;
      i++;
      continue;
    }
    const start = i;
    let value = '';
    while (i < text.length && !endsWord(text[i]!)) {
      const ch = text[i]!;
      let piece: string;
      if (isQuote(ch)) {
        const close = text.indexOf(ch, i + 1);
        const end = close < 0 ? text.length : close;
        piece = value.length < keptChars ? text.slice(i + 1, Math.min(end, i + 1 + keptChars)) : '';
        i = end + 1;
      } else if (ch === '\\' && i + 1 < text.length) {
        piece = text[i + 1]!;
        i += 2;
      } else {
        piece = ch;
        i++;
      }
      if (value.length < keptChars) value += piece;
    }
    words.push({ start, end: Math.min(i, text.length), text: value.slice(0, keptChars), first });
    first = false;
  }
  return words;
}

/** Per program, its short flags whose value is a secret: `attached` -pVALUE, `separate` -p VALUE; `afterColon` user:PASSWORD. */
interface FlagRule {
  flags: readonly string[];
  attached: boolean;
  separate: boolean;
  afterColon: boolean;
}
const mysqlP: FlagRule = { flags: ['-p'], attached: true, separate: false, afterColon: false }; // `-p db` asks, db is the database
const userColon: FlagRule = { flags: ['-u', '-U', '--user', '--proxy-user'], attached: true, separate: true, afterColon: true };
const programRules: Record<string, FlagRule> = {
  mysql: mysqlP,
  mysqldump: mysqlP,
  mysqladmin: mysqlP,
  mysqlimport: mysqlP,
  mysqlshow: mysqlP,
  mysqlcheck: mysqlP,
  mariadb: mysqlP,
  'mariadb-dump': mysqlP,
  sshpass: { flags: ['-p'], attached: true, separate: true, afterColon: false },
  'redis-cli': { flags: ['-a'], attached: true, separate: true, afterColon: false },
  mongo: { flags: ['-p'], attached: false, separate: true, afterColon: false },
  mongosh: { flags: ['-p'], attached: false, separate: true, afterColon: false },
  mongodump: { flags: ['-p'], attached: false, separate: true, afterColon: false },
  mongorestore: { flags: ['-p'], attached: false, separate: true, afterColon: false },
  curl: userColon,
  http: { flags: ['-a', '--auth'], attached: true, separate: true, afterColon: true },
  https: { flags: ['-a', '--auth'], attached: true, separate: true, afterColon: true },
  xh: { flags: ['-a', '--auth'], attached: true, separate: true, afterColon: true },
};
/** Words that run the command after them. */
const wrappers = new Set(['sudo', 'doas', 'env', 'command', 'exec', 'time', 'nohup', 'nice']);

function program(words: Word[], from: number): { name: string; next: number } {
  let i = from;
  while (i < words.length) {
    const w = words[i]!.text;
    const base = w.slice(w.lastIndexOf('/') + 1);
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w) || (i > from && w.startsWith('-')) || wrappers.has(base)) i++;
    else return { name: base, next: i + 1 };
  }
  return { name: '', next: i };
}

/** The part of a word from `offset` (in its raw text) on, less a closing quote that opened before it. */
function wordTail(text: string, word: Word, offset: number): Span | null {
  let start = word.start + offset;
  let end = word.end;
  if (start >= end) return null;
  const last = text[end - 1]!;
  if (isQuote(last) && end - 1 > start && text.slice(word.start, start).includes(last)) end--;
  if (isQuote(text[start]!) && !(end - start >= 2 && text[end - 1] === text[start])) start++;
  return end > start ? { start, end } : null;
}

function afterColon(text: string, span: Span): Span | null {
  const colon = text.indexOf(':', span.start);
  return colon < 0 || colon >= span.end - 1 ? null : { start: colon + 1, end: span.end };
}

/** Flags that carry a secret: per program (-pSECRET, -u user:SECRET), any `--password VALUE`, `set NAME VALUE`. */
function flagValues(text: string, out: Span[]): void {
  const words = shellWords(text);
  let rule: FlagRule | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word.first) {
      const found = program(words, i);
      rule = programRules[found.name];
      i = found.next - 1;
      continue;
    }
    const next = words[i + 1];
    const push = (span: Span | null, colonPart: boolean) => {
      const value = span && colonPart ? afterColon(text, span) : span;
      if (value && !isMark(text, value)) out.push(value);
    };
    const w = word.text;
    if (rule) {
      for (const flag of rule.flags) {
        if (w === flag && rule.separate && next && !next.first && !next.text.startsWith('-'))
          push({ start: next.start, end: next.end }, rule.afterColon);
        else if (rule.attached && w.length > flag.length && w.startsWith(flag) && (flag.startsWith('--') ? w[flag.length] === '=' : true)) {
          const raw = text.slice(word.start, word.end);
          const at = raw.indexOf(flag) + flag.length + (flag.startsWith('--') ? 1 : 0);
          push(wordTail(text, word, at), rule.afterColon);
        }
      }
    }
    if (
      w.startsWith('--') &&
      !w.includes('=') &&
      secretName(w) &&
      !noValueFlag.test(w) &&
      next &&
      !next.first &&
      !next.text.startsWith('-')
    ) {
      push({ start: next.start, end: next.end }, false);
    }
    // `aws configure set aws_secret_access_key VALUE`, `npm config set _authToken VALUE`.
    if ((w === 'set' || w.endsWith(':set')) && next && !next.first && !next.text.includes('=') && secretName(next.text)) {
      const value = words[i + 2];
      if (value && !value.first) push({ start: value.start, end: value.end }, false);
    }
  }
}

/** Every secret in `text`, merged and sorted: the built-in rules unless `builtIn` is false, and `extra`, the user's own patterns (global regexes). */
export function findSecrets(text: string, extra: readonly RegExp[] = [], builtIn = true): Span[] {
  const spans: Span[] = [];
  for (const re of [...(builtIn ? tokenRegexes : []), ...extra]) {
    for (const m of text.matchAll(re)) if (m[0].length > 0) spans.push({ start: m.index, end: m.index + m[0].length });
  }
  if (builtIn) {
    namedValues(text, spans);
    urlPasswords(text, spans);
    privateKeyBlocks(text, spans);
    flagValues(text, spans);
  }
  return merge(text, spans);
}

/** Overlapping or touching spans joined; a span wholly inside a mark already put there dropped. */
function merge(text: string, spans: Span[]): Span[] {
  const marks: Span[] = [];
  for (let at = text.indexOf(redactedMark); at >= 0; at = text.indexOf(redactedMark, at + 1))
    marks.push({ start: at, end: at + redactedMark.length });
  const inMark = (s: Span) => {
    // Marks are sorted and do not overlap: binary search for the last one starting at or before s.
    let lo = 0;
    let hi = marks.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (marks[mid]!.start <= s.start) lo = mid + 1;
      else hi = mid - 1;
    }
    const m = marks[hi];
    return m !== undefined && s.end <= m.end;
  };
  const sorted = spans.filter((s) => !inMark(s)).sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Span[] = [];
  for (const s of sorted) {
    const last = merged[merged.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  return merged;
}

/** `text` with each secret replaced by the mark. */
export function redactSpans(text: string, spans: readonly Span[]): string {
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + redactedMark;
    at = s.end;
  }
  return out + text.slice(at);
}
