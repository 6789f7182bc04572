import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hookScript } from '../../../main/history/hooks.ts';
import { historyPaths } from '../../../main/history/paths.ts';
import { combinedSource, defaultSecretPatterns, prefilterGlobs, secretTest } from '../../../main/history/secrets.ts';
import { writeSecretsPattern } from '../../../main/history/settings.ts';
import { findPeer } from '../../support/peers.ts';
import { tempDir } from '../../support/temp-dir.ts';

const secret = [
  'aws s3 ls --key AKIAIOSFODNN7EXAMPLE',
  'export AWS_SECRET_ACCESS_KEY=abc',
  'aws sts get-caller-identity # AWS_SESSION_TOKEN',
  'GOOGLE_SERVICE_ACCOUNT_KEY="$(cat k.json)" ./deploy',
  'gh auth login --with-token github_pat_11ABCDEFG0123456789_abcdefghijklmnop',
  'curl -H "Authorization: Bearer xoxb-1234567890-abcdefghij" https://slack.com/api/auth.test',
  'netlify deploy --auth nfp_abcdefghijklmnopqrstuvwxyz0123456789',
  'pulumi login --token pul-0123456789abcdef0123456789abcdef01234567',
  'stripe --api-key rk_test_0123456789abcdef',
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
const harmless = ['git status', 'echo token', 'ls ~/.aws', 'grep -r password .', 'export PATH=$PATH:/x', 'cat secret.txt', 'kubectl logs --since=5m', 'npm run build'];

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

  it('has an example above for every default pattern', () => {
    for (const p of defaultSecretPatterns) expect(secret.some((c) => new RegExp(p.source).test(c)), p.id).toBe(true);
  });

  it('names globs made only of characters the hooks accept, and sends every command to a pattern of the user', () => {
    for (const glob of prefilterGlobs({ defaultSecrets: true, extraSecrets: [] })) expect(glob).toMatch(/^[A-Za-z0-9_*.[\]/=-]+$/);
    expect(prefilterGlobs({ defaultSecrets: true, extraSecrets: ['x'] })).toEqual(['*']);
    expect(prefilterGlobs({ defaultSecrets: false, extraSecrets: [] })).toEqual([]);
  });

  // The hook's own check (globs first, then the pattern), in the real shell: it must refuse what the ingester
  // refuses, and the globs must let no secret through that the pattern would catch. (The bash hook leaves the
  // check to the ingester.)
  const shells = [
    { name: 'zsh' as const, peer: findPeer('zsh', 'apt-get install zsh'), flags: ['-f', '-i', '-c'], check: 'while IFS= read -r line; do if _lanyard_secret "$line"; then echo 1; else echo 0; fi; done' },
  ];
  for (const shell of shells) {
    it.skipIf(!shell.peer)(`the ${shell.name} hook refuses exactly what the ingester refuses`, () => {
      for (const settings of [{ defaultSecrets: true, extraSecrets: [] }, { defaultSecrets: true, extraSecrets: ['internal\\.corp/[a-z]+'] }]) {
        const data = tempDir();
        const paths = historyPaths(data);
        writeSecretsPattern(paths, settings);
        const hook = path.join(data, `hook.${shell.name}`);
        writeFileSync(hook, hookScript(shell.name, { dataDir: data, cli: ['lanyard'] }));
        const lines = [...secret, ...harmless, 'curl internal.corp/abc'];
        const out = spawnSync(shell.peer!, [...shell.flags, `LANYARD_NO_CTRL_R=1; . '${hook}'; ${shell.check}`], {
          input: `${lines.join('\n')}\n`,
          env: { PATH: process.env.PATH, HOME: data, LANYARD_HOME: data, LC_ALL: 'C.UTF-8', TERM: 'dumb' },
          encoding: 'utf8',
        });
        const isSecret = secretTest(settings);
        expect(out.stdout.trim().split('\n'), out.stderr).toEqual(lines.map((c) => (isSecret(c) ? '1' : '0')));
      }
    });
  }
});
