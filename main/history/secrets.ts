// Commands that look like they carry a secret are never stored. The patterns are written in the subset of
// regex syntax that JavaScript, POSIX ERE (bash/zsh `=~`) and PCRE2 (fish `string match -r`) read alike,
// so the hooks can refuse them before they touch the disk and the ingester can refuse them again.

export interface SecretPattern {
  id: string;
  label: string;
  source: string;
}

const anyCase = (word: string) => [...word].map((ch) => `[${ch.toUpperCase()}${ch.toLowerCase()}]`).join('');

export const defaultSecretPatterns: readonly SecretPattern[] = [
  { id: 'aws-key-id', label: 'AWS access key id', source: 'A[KS]IA[0-9A-Z]{16}' },
  { id: 'aws-secret', label: 'AWS secret / session token variable', source: 'AWS_(SECRET_ACCESS_KEY|SESSION_TOKEN)' },
  { id: 'azure-key', label: 'Azure key variable', source: 'AZURE_[A-Z0-9_]*_KEY' },
  { id: 'google-sa', label: 'Google service account key variable', source: 'GOOGLE_SERVICE_ACCOUNT_KEY' },
  { id: 'github', label: 'GitHub token', source: '(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,}' },
  { id: 'gitlab', label: 'GitLab token', source: 'glpat-[A-Za-z0-9_-]{20}' },
  { id: 'slack', label: 'Slack token or webhook', source: 'xox[bp]-[0-9A-Za-z-]{10,}|hooks[.]slack[.]com/services/[A-Za-z0-9/]+' },
  { id: 'stripe', label: 'Stripe key', source: '[sr]k_(live|test)_[0-9A-Za-z]{16,}' },
  { id: 'netlify', label: 'Netlify token', source: 'nf[pcoub]_[A-Za-z0-9_-]{30,}' },
  { id: 'npm', label: 'npm token', source: 'npm_[A-Za-z0-9]{36}' },
  { id: 'pulumi', label: 'Pulumi token', source: 'pul-[a-f0-9]{40}' },
  {
    id: 'assignment',
    label: '…SECRET…=, …TOKEN…=, …PASSWORD…= assignments',
    source: `[A-Za-z0-9_-]*(${anyCase('secret')}|${anyCase('token')}|${anyCase('password')}|${anyCase('passwd')})[A-Za-z0-9_-]*=`,
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
