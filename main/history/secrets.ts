// Commands that look like they carry a secret are never stored. The patterns are written in the subset of
// regex syntax that JavaScript, POSIX ERE (zsh `=~`) and PCRE2 (fish `string match -r`) read alike, so
// the zsh and fish hooks refuse them before they touch the disk and the ingester refuses them again (the bash
// hook cannot see a command's text cheaply: it leaves the check to the ingester, which empties its spool).
// zsh compiles a regex on every `=~` (~0.2 ms for these), so each pattern also names globs that every match
// satisfies: the shell runs the regex only for a command one of them matches, which few do.

export interface SecretPattern {
  id: string;
  label: string;
  source: string;
  /** zsh patterns (only `*`, `[…]` and literals) at least one of which every match of `source` matches. */
  globs: readonly string[];
}

const anyCase = (word: string) => [...word].map((ch) => `[${ch.toUpperCase()}${ch.toLowerCase()}]`).join('');

export const defaultSecretPatterns: readonly SecretPattern[] = [
  { id: 'aws-key-id', label: 'AWS access key id', source: 'A[KS]IA[0-9A-Z]{16}', globs: ['*A[KS]IA*'] },
  { id: 'aws-secret', label: 'AWS secret / session token variable', source: 'AWS_(SECRET_ACCESS_KEY|SESSION_TOKEN)', globs: ['*AWS_SECRET_ACCESS_KEY*', '*AWS_SESSION_TOKEN*'] },
  { id: 'azure-key', label: 'Azure key variable', source: 'AZURE_[A-Z0-9_]*_KEY', globs: ['*AZURE_*_KEY*'] },
  { id: 'google-sa', label: 'Google service account key variable', source: 'GOOGLE_SERVICE_ACCOUNT_KEY', globs: ['*GOOGLE_SERVICE_ACCOUNT_KEY*'] },
  { id: 'github', label: 'GitHub token', source: '(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,}', globs: ['*gh[pousr]_*', '*github_pat_*'] },
  { id: 'gitlab', label: 'GitLab token', source: 'glpat-[A-Za-z0-9_-]{20}', globs: ['*glpat-*'] },
  { id: 'slack', label: 'Slack token or webhook', source: 'xox[bp]-[0-9A-Za-z-]{10,}|hooks[.]slack[.]com/services/[A-Za-z0-9/]+', globs: ['*xox[bp]-*', '*hooks.slack.com/services/*'] },
  { id: 'stripe', label: 'Stripe key', source: '[sr]k_(live|test)_[0-9A-Za-z]{16,}', globs: ['*[sr]k_live_*', '*[sr]k_test_*'] },
  { id: 'netlify', label: 'Netlify token', source: 'nf[pcoub]_[A-Za-z0-9_-]{30,}', globs: ['*nf[pcoub]_*'] },
  { id: 'npm', label: 'npm token', source: 'npm_[A-Za-z0-9]{36}', globs: ['*npm_*'] },
  { id: 'pulumi', label: 'Pulumi token', source: 'pul-[a-f0-9]{40}', globs: ['*pul-*'] },
  {
    id: 'assignment',
    label: '…SECRET…=, …TOKEN…=, …PASSWORD…= assignments',
    source: `[A-Za-z0-9_-]*(${anyCase('secret')}|${anyCase('token')}|${anyCase('password')}|${anyCase('passwd')})[A-Za-z0-9_-]*=`,
    globs: [`*${anyCase('secret')}*=*`, `*${anyCase('token')}*=*`, `*${anyCase('passw')}*=*`],
  },
];

export interface SecretSettings {
  defaultSecrets: boolean;
  extraSecrets: string[];
}

/** The patterns in force, as sources. */
export function activePatterns(settings: SecretSettings): string[] {
  return [...(settings.defaultSecrets ? defaultSecretPatterns.map((p) => p.source) : []), ...settings.extraSecrets];
}

/** One alternation the shells can apply; empty when nothing is refused. */
export function combinedSource(settings: SecretSettings): string {
  return activePatterns(settings).map((s) => `(${s})`).join('|');
}

/** The hooks' pre-check, one glob per line: a pattern of the user's has no globs, so `*` sends every command to it. */
export function prefilterGlobs(settings: SecretSettings): string[] {
  const globs = settings.defaultSecrets ? defaultSecretPatterns.flatMap((p) => p.globs) : [];
  return settings.extraSecrets.length > 0 ? ['*'] : globs;
}

/** A predicate for the ingester and importers; a pattern that does not compile is reported by settings, not here. */
export function secretTest(settings: SecretSettings): (command: string) => boolean {
  const compiled = activePatterns(settings).flatMap((s) => {
    try {
      return [new RegExp(s)];
    } catch {
      return [];
    }
  });
  return (command) => compiled.some((re) => re.test(command));
}
