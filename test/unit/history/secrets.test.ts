import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { combinedSource, secretTest } from '../../../main/history/secrets.ts';
import { findPeer } from '../../support/peers.ts';

const secret = [
  'aws s3 ls --key AKIAIOSFODNN7EXAMPLE',
  'export AWS_SECRET_ACCESS_KEY=abc',
  'AZURE_STORAGE_KEY=x az storage ls',
  'curl -H "Authorization: token ghp_0123456789abcdef0123456789abcdef0123"',
  'git clone https://oauth2:glpat-abcdefghij0123456789@gitlab.com/x.git',
  'curl -d x https://hooks.slack.com/services/T000/B000/XXXX',
  'stripe --api-key sk_live_0123456789abcdef',
  'npm config set //registry/:_authToken npm_0123456789abcdef0123456789abcdef0123',
  'export GITHUB_TOKEN=abc',
  'MYSQL_PASSWORD=hunter2 mysql',
  'my_secret_thing=1 ./run',
  'mysql --password=hunter2',
];
const harmless = ['git status', 'echo token', 'ls ~/.aws', 'grep -r password .', 'export PATH=$PATH:/x', 'cat secret.txt'];

describe('secrets filter', () => {
  const isSecret = secretTest({ defaultSecrets: true, extraSecrets: ['internal\\.corp/[a-z]+'] });
  it('refuses the known shapes and the configured extras, and only those', () => {
    for (const c of secret) expect(isSecret(c), c).toBe(true);
    for (const c of harmless) expect(isSecret(c), c).toBe(false);
    expect(isSecret('curl internal.corp/abc')).toBe(true);
    expect(secretTest({ defaultSecrets: false, extraSecrets: [] })('export GITHUB_TOKEN=abc')).toBe(false);
  });

  const bash = findPeer('bash', 'apt-get install bash');
  it.skipIf(!bash)('the combined pattern means the same to bash =~ (POSIX ERE)', () => {
    const re = combinedSource({ defaultSecrets: true, extraSecrets: [] });
    const script = 'while IFS= read -r line; do if [[ $line =~ $RE ]]; then echo 1; else echo 0; fi; done';
    const out = spawnSync(bash!, ['-c', script], { input: [...secret, ...harmless].join('\n') + '\n', env: { RE: re, LC_ALL: 'C' }, encoding: 'utf8' });
    expect(out.stdout.trim().split('\n')).toEqual([...secret.map(() => '1'), ...harmless.map(() => '0')]);
  });
});
