// The ACME client snippets are checked by the clients themselves: Caddy adapts the Caddyfile, certbot and lego
// list every flag printed, Traefik's YAML parses to the resolver, and each shell line run by real bash, zsh and
// fish hands the program exactly the environment and arguments meant (a fake program on PATH reports them).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { acmeClientSnippets, caddyToken, type ClientSnippet, SnippetError } from '../../../main/display/acme-clients.ts';
import { CertsService } from '../../../main/certs/service.ts';
import { envCommandLine, type ShellDialect } from '../../../main/system/shell-quote.ts';
import { findPeer } from '../../support/peers.ts';
import { hostileWords } from '../../support/hostile-words.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { sandbox } from './helpers.ts';

const caddy = findPeer('caddy', 'apt-get install caddy');
const certbot = findPeer('certbot', 'apt-get install certbot');
const lego = findPeer('lego', 'apt-get install lego');
const url = 'https://127.0.0.1:14000/directory';

const home = tempDir();
// A CA folder whose path needs quoting everywhere: a space and a single quote.
const caroot = path.join(home, "it's a CA");
const certs = new CertsService({ dataDir: home, env: { ...process.env, CAROOT: caroot } });
await certs.createCa({ keyType: 'ecdsa' });
const rootFile = path.join(caroot, 'rootCA.pem');
const snippets = await certs.acmeClients(url, 'app.test');
certs.close();
const snippet = (id: ClientSnippet['client']) => snippets.find((s) => s.client === id)!;
// A server validating on other ports than 80/443 and signing for 36 hours: each client is told where to answer.
const movedSnippets = acmeClientSnippets({
  directoryUrl: url,
  rootFile,
  bundleFile: path.join(home, 'ca-bundle.pem'),
  name: 'shop.internal',
  httpPort: 18080,
  tlsPort: 18443,
  validityHours: 36,
  render: (c) => envCommandLine(c.env, c.argv, 'sh'),
});
const moved = (id: ClientSnippet['client']) => movedSnippets.find((s) => s.client === id)!;
const flagsOf = (argv: readonly string[]) => argv.filter((a) => a.startsWith('-'));
/** The help text lists the flag as a word of its own (`--server SERVER`, `--accept-tos, -a`). */
const listsFlag = (help: string, flag: string) => new RegExp(`(^|[\\s,])${flag}([\\s,]|$)`, 'm').test(help);

describe('acme client snippets', () => {
  it('gives every client the directory URL and the CA root', () => {
    expect(snippets.map((s) => s.client)).toEqual(['caddy', 'traefik', 'certbot', 'lego', 'acme.sh', 'node']);
    for (const s of snippets.filter((s) => s.client !== 'node')) expect(s.text).toContain(url);
    expect(snippet('certbot').commands[0]!.env).toEqual([['REQUESTS_CA_BUNDLE', rootFile]]);
    expect(snippet('lego').commands[0]!.env).toEqual([['LEGO_CA_CERTIFICATES', rootFile]]);
    expect(snippet('node').commands[0]!.env).toEqual([['NODE_EXTRA_CA_CERTS', rootFile]]);
    expect(snippet('acme.sh').commands[0]!.argv).toEqual(expect.arrayContaining(['--server', url, '--ca-bundle', rootFile]));
    // Traefik's LEGO_CA_CERTIFICATES replaces its pool: the bundle keeps the system roots and adds ours.
    expect(snippet('traefik').commands[0]!.env).toEqual([['LEGO_CA_CERTIFICATES', path.join(home, 'ca-bundle.pem')]]);
    expect(snippet('traefik').notes.join(' ')).toContain('replaces the system pool');
  });

  it('is a host request (certs.acmeClients) for the ACME card, its URL and name checked', async () => {
    const box = sandbox();
    await box.lanyard.api.certs.createCa({});
    const list = await box.lanyard.api.certs.acmeClients({ url: 'https://127.0.0.1:9443/dir' });
    expect(list.find((s) => s.client === 'caddy')!.text).toContain('acme_ca https://127.0.0.1:9443/dir');
    expect(list.find((s) => s.client === 'lego')!.commands[0]!.argv).toContain('app.test');
    await expect(box.lanyard.api.certs.acmeClients({ url: 'http://127.0.0.1:9443/dir' })).rejects.toThrow(/url/);
    await expect(box.lanyard.api.certs.acmeClients({ name: 'a b; rm' })).rejects.toThrow(/name/);
  });

  it.skipIf(!caddy)("Caddy 2.6 adapts the Caddyfile to an ACME issuer at Lanyard's URL trusting Lanyard's root", () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'Caddyfile'), snippet('caddy').text);
    const adapted = spawnSync(caddy!, ['adapt', '--config', path.join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], { encoding: 'utf8' });
    expect(adapted.status, adapted.stderr).toBe(0);
    const config = JSON.parse(adapted.stdout);
    const policy = config.apps.tls.automation.policies[0];
    expect(policy.subjects).toEqual(['app.test']);
    expect(policy.issuers).toEqual([{ module: 'acme', ca: url, trusted_roots_pem_files: [rootFile] }]);
  });

  it.skipIf(!caddy)('Caddy 2.6 reads the moved ports as its HTTP and HTTPS ports, where it answers http-01 and tls-alpn-01', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'Caddyfile'), moved('caddy').text);
    const adapted = spawnSync(caddy!, ['adapt', '--config', path.join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], { encoding: 'utf8' });
    expect(adapted.status, adapted.stderr).toBe(0);
    const config = JSON.parse(adapted.stdout);
    expect([config.apps.http.http_port, config.apps.http.https_port]).toEqual([18080, 18443]);
    expect(snippet('caddy').text).not.toContain('http_port');
  });

  it('tells each client the moved http-01 port, and lego a renewal window that fits the validity', () => {
    expect(parseYaml(moved('traefik').text).entryPoints.web.address).toBe(':18080');
    expect(moved('certbot').commands[0]!.argv).toEqual(expect.arrayContaining(['--http-01-port', '18080']));
    expect(moved('lego').commands[0]!.argv).toEqual(expect.arrayContaining(['--http.port', ':18080']));
    expect(moved('acme.sh').commands[0]!.argv).toEqual(expect.arrayContaining(['--httpport', '18080']));
    expect(moved('lego').commands[1]!.argv.slice(-2)).toEqual(['--days', '1']);
    expect(moved('lego').notes.join(' ')).toContain('renews a 36-hour certificate when 1 day is left');
    expect(snippet('lego').commands[1]!.argv.slice(-2)).toEqual(['--days', '3']);
    expect(snippet('lego').notes.join(' ')).toContain('renews a 7-day certificate when 3 days are left');
  });

  it.skipIf(!caddy)('quotes Caddyfile tokens so Caddy reads them back exactly', () => {
    const dir = tempDir();
    const values = ['/plain/root.pem', '/a b/root.pem', '/q"uote/x', "/it's/x", '/back`tick/"q"', '/brace{}/#x', '/b\\s/x'];
    for (const value of values) {
      writeFileSync(path.join(dir, 'Caddyfile'), `{\n\tacme_ca_root ${caddyToken(value)}\n}\nexample.test {\n\trespond ok\n}\n`);
      const adapted = spawnSync(caddy!, ['adapt', '--config', path.join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], { encoding: 'utf8' });
      expect(adapted.status, `${value}: ${adapted.stderr}`).toBe(0);
      expect(JSON.stringify(JSON.parse(adapted.stdout))).toContain(JSON.stringify([value]));
    }
    expect(() => caddyToken('a`b\\c')).toThrow(SnippetError);
    expect(() => caddyToken('two\nlines')).toThrow(SnippetError);
  });

  it('Traefik: the static configuration is YAML naming the caServer and the http-01 entry point', () => {
    const config = parseYaml(snippet('traefik').text);
    expect(config.certificatesResolvers.lanyard.acme.caServer).toBe(url);
    expect(config.certificatesResolvers.lanyard.acme.httpChallenge.entryPoint).toBe('web');
    expect(config.entryPoints.web.address).toBe(':80');
  });

  it.skipIf(!certbot)('certbot 2.1 knows every subcommand and flag printed', () => {
    const help = spawnSync(certbot!, ['--help', 'all'], { encoding: 'utf8' }).stdout;
    for (const command of [...snippet('certbot').commands, ...moved('certbot').commands]) {
      const [, sub, ...args] = command.argv;
      expect(help).toContain(sub);
      for (const flag of flagsOf(args)) expect(listsFlag(help, flag), flag).toBe(true);
    }
  });

  it.skipIf(!lego)('lego 4.9 knows every global flag, subcommand and subcommand flag printed', () => {
    const global = spawnSync(lego!, ['--help'], { encoding: 'utf8' }).stdout;
    for (const command of [...snippet('lego').commands, ...moved('lego').commands]) {
      const at = command.argv.findIndex((a) => a === 'run' || a === 'renew');
      expect(at).toBeGreaterThan(0);
      const sub = command.argv[at]!;
      for (const flag of flagsOf(command.argv.slice(1, at))) expect(listsFlag(global, flag), flag).toBe(true);
      const subHelp = spawnSync(lego!, [sub, '--help'], { encoding: 'utf8' }).stdout;
      for (const flag of flagsOf(command.argv.slice(at + 1))) expect(listsFlag(subHelp, flag), flag).toBe(true);
    }
  });
});

// Each shell reads the rendered line back as exactly the environment and argv meant.
const shells: { dialect: ShellDialect; program: string | null }[] = [
  { dialect: 'sh', program: findPeer('sh', 'dash') },
  { dialect: 'bash', program: findPeer('bash', 'apt-get install bash') },
  { dialect: 'zsh', program: findPeer('zsh', 'apt-get install zsh') },
  { dialect: 'fish', program: findPeer('fish', 'apt-get install fish') },
];

describe.each(shells)('shell lines read back by $dialect', ({ dialect, program }) => {
  it.skipIf(!program)('pass the environment and arguments exactly, hostile paths included', () => {
    const bin = path.join(tempDir(), 'bin');
    mkdirSync(bin);
    // Fake clients: each prints its CA variable and its arguments, NUL-separated.
    for (const name of ['certbot', 'lego', 'node', 'acme.sh', 'traefik']) {
      const file = path.join(bin, name);
      writeFileSync(
        file,
        '#!/bin/sh\nprintf "%s\\0" "${REQUESTS_CA_BUNDLE-}${LEGO_CA_CERTIFICATES-}${NODE_EXTRA_CA_CERTS-}" "$@"\nprintf "\\001"\n',
      );
      chmodSync(file, 0o755);
    }
    // A Caddyfile and a URL hold no line break; an argument holds no NUL. Long words are tested by shell-quote's own tests.
    const words = hostileWords.filter((w) => w.length <= 100 && !/[\0\r\n]/.test(w));
    // One shell reads every line (one per word and command); each fake client ends its report with \x01.
    const commands = words.flatMap((word) =>
      acmeClientSnippets({
        directoryUrl: `${url}?${word}`,
        rootFile: `/ca/${word}/rootCA.pem`,
        bundleFile: `/ca/${word}/bundle.pem`,
        name: `app${word}.test`,
        httpPort: 8080,
        tlsPort: 8443,
        validityHours: 36,
        render: (c) => envCommandLine(c.env, c.argv, dialect),
      }).flatMap((s) => s.commands),
    );
    const script = commands.map((c) => envCommandLine(c.env, c.argv, dialect)).join('\n');
    const result = spawnSync(program!, ['-c', script], { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin`, HOME: bin } });
    expect(result.status, result.stderr).toBe(0);
    const reports = result.stdout.split('\x01').slice(0, -1);
    expect(reports).toHaveLength(commands.length);
    commands.forEach((command, i) => {
      expect(reports[i]!.split('\0').slice(0, -1), envCommandLine(command.env, command.argv, dialect)).toEqual([
        command.env.map(([, v]) => v).join(''),
        ...command.argv.slice(1),
      ]);
    });
  });
});
