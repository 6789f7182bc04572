// Secrets in commands: what the ingester, importers and cheat runs do with a command that holds one (redact it
// by default, or drop it), and the pre-check the zsh and fish hooks apply before a command touches the disk.
// The finding itself is secret-scan.ts (linear time); the hooks get a POSIX ERE (zsh `=~`) / PCRE2 (fish
// `string match -r`) alternation of the token shapes and secret-named assignments: everything it matches the
// scanner finds too, and the ingester catches the rest (the bash hook leaves all of it to the ingester).
// zsh compiles a regex on every `=~` (~0.2 ms for these), so each pattern also names globs that every match
// satisfies: the shell runs the regex only for a command one of them matches, which few do.
import { findSecrets, redactSpans, tokenShapes } from './secret-scan.ts';

export type SecretAction = 'redact' | 'drop';

export interface SecretSettings {
  defaultSecrets: boolean;
  extraSecrets: string[];
  /** `redact` keeps the command with each secret replaced by ‹redacted›; `drop` keeps nothing of it. */
  secretAction: SecretAction;
}

const anyCase = (word: string) => [...word].map((ch) => `[${ch.toUpperCase()}${ch.toLowerCase()}]`).join('');

/** For the hooks: a secret-named assignment with a value (the scanner's NAME=value rule holds every match of it). */
const assignmentEre = {
  source: `(${anyCase('secret')}|${anyCase('token')}|${anyCase('password')}|${anyCase('passwd')})[A-Za-z0-9_-]*=[^[:space:];&|<>),]`,
  globs: [`*${anyCase('secret')}*=*`, `*${anyCase('token')}*=*`, `*${anyCase('passw')}*=*`],
};

/** The patterns the hooks can apply. */
function hookPatterns(settings: SecretSettings): { source: string; globs: readonly string[] }[] {
  if (settings.secretAction !== 'drop') return [];
  const own = settings.extraSecrets.map((source) => ({ source, globs: ['*'] }));
  return [...(settings.defaultSecrets ? [...tokenShapes.filter((t) => t.ere), assignmentEre] : []), ...own];
}

/**
 * The hooks' alternation; empty when they refuse nothing. Only when secrets are dropped: a redacted command must
 * reach the ingester to be redacted (it waits in the 0700 spool folder until the next ingest, which empties it).
 */
export function combinedSource(settings: SecretSettings): string {
  return hookPatterns(settings)
    .map((p) => `(${p.source})`)
    .join('|');
}

/** The hooks' pre-check, one glob per line: a pattern of the user's has no globs, so `*` sends every command to it. */
export function prefilterGlobs(settings: SecretSettings): string[] {
  const patterns = hookPatterns(settings);
  return patterns.some((p) => p.globs.includes('*')) ? ['*'] : patterns.flatMap((p) => p.globs);
}

/** The user's patterns as global regexes; one that does not compile is reported by settings, not here. */
function extraRegexes(settings: SecretSettings): RegExp[] {
  return settings.extraSecrets.flatMap((s) => {
    try {
      return [new RegExp(s, 'g')];
    } catch {
      return [];
    }
  });
}

export interface SecretFilter {
  /** Whether the command holds a secret. */
  holds(command: string): boolean;
  /** The command with every secret replaced by ‹redacted›. */
  redact(command: string): string;
  /** What to store: the command as it is, redacted, or null to drop it. */
  apply(command: string): string | null;
}

/** Redaction that stops changing: a replaced value can leave a new one in view (rare), so it is run to a fixed point. */
const maxPasses = 4;

export function secretFilter(settings: SecretSettings): SecretFilter {
  const extra = extraRegexes(settings);
  const find = (command: string) => findSecrets(command, extra, settings.defaultSecrets);
  const redact = (command: string) => {
    let text = command;
    for (let pass = 0; pass < maxPasses; pass++) {
      const spans = find(text);
      if (spans.length === 0) break;
      text = redactSpans(text, spans);
    }
    return text;
  };
  return {
    holds: (command) => find(command).length > 0,
    redact,
    apply(command) {
      if (settings.secretAction === 'drop') return find(command).length > 0 ? null : command;
      return redact(command);
    },
  };
}
