// Runtimes that ignore the OS trust store: Node adds NODE_EXTRA_CA_CERTS to its own roots, but Python
// requests and OpenSSL replace theirs with REQUESTS_CA_BUNDLE / SSL_CERT_FILE, so those get a bundle of
// the system roots plus ours rather than our root alone (which would break every public site).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writePublicFile } from './files.ts';
import { powershellString, quoteArg } from '../system/shell-quote.ts';
import { commandShell } from '../system/user-shell.ts';

const systemBundles = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/cert.pem',
  '/etc/ssl/ca-bundle.pem',
];

/** $dataDir/ca-bundle.pem: the system bundle (when there is one) followed by the root. Returns its path. */
export function writeCaBundle(dataDir: string, rootPem: string): string {
  const file = path.join(dataDir, 'ca-bundle.pem');
  const system = systemBundles.find((f) => existsSync(f));
  const content = `${system ? `${readFileSync(system, 'utf8').trimEnd()}\n` : ''}${rootPem.trimEnd()}\n`;
  if (!existsSync(file) || readFileSync(file, 'utf8') !== content) writePublicFile(file, content);
  return file;
}

export function envLines(rootFile: string, bundleFile: string, platform: NodeJS.Platform): string[] {
  const vars: [string, string][] = [
    ['NODE_EXTRA_CA_CERTS', rootFile],
    ['REQUESTS_CA_BUNDLE', bundleFile],
    ['SSL_CERT_FILE', bundleFile],
  ];
  if (platform === 'win32') return vars.map(([k, v]) => `$env:${k} = ${powershellString(v)}`);
  // `export K=V` is read by sh, bash, zsh and fish alike; the value is quoted for the user's own shell.
  const dialect = commandShell().dialect;
  return vars.map(([k, v]) => `export ${k}=${quoteArg(v, dialect === 'fish' ? 'fish' : 'sh')}`);
}
