// `lanyard acme clients`: the snippet each ACME client needs (display/acme-clients.ts), with the CA's root and
// bundle paths filled in and shell lines quoted for the user's shell.
import { clientSnippets, defaultDirectoryUrl } from '../acme-clients.ts';
import { bold, dim } from '../../system/terminal-style.ts';
import { parseOptions, UsageError } from '../../system/command-line.ts';

function checkUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--url must be the ACME directory URL, like ${defaultDirectoryUrl}, not "${value}"`);
  }
  if (url.protocol !== 'https:') throw new UsageError(`--url must be an https:// URL (ACME clients refuse plain http), not "${value}"`);
  return value;
}

// An ACME identifier: a DNS name (a leading *. for a wildcard) or an IP address.
const acmeName = /^(?:\*\.)?[A-Za-z0-9.:-]+$/;

export async function runClients(args: string[], dataDir: string): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    url: { type: 'string' },
    name: { type: 'string' },
    client: { type: 'string' },
    json: { type: 'boolean' },
  });
  const name = values.name ?? 'app.test';
  if (!acmeName.test(name)) throw new UsageError(`--name must be a host name or IP address, like app.test, not "${name}"`);
  if (name.startsWith('*.'))
    throw new UsageError(
      `--name "${name}": the ACME server issues no wildcards (its dns-01 covers named hosts only); give the host names themselves`,
    );
  if (positionals.length > 0) throw new UsageError(`acme clients takes no names (use --name), not "${positionals[0]}"`);
  const { CertsService } = await import('../service.ts');
  const certs = new CertsService({ dataDir, env: process.env });
  try {
    const ca = certs.state().ca;
    if (!ca) throw new UsageError('there is no CA yet: create one with `lanyard cert --create-ca` (or start the ACME server)');
    const served = certs.acme.served();
    const directoryUrl = checkUrl(values.url ?? served.directoryUrl);
    let snippets = clientSnippets(ca, { dataDir, env: process.env, served: { ...served, directoryUrl }, name });
    if (values.client) {
      snippets = snippets.filter((s) => s.client === values.client);
      if (snippets.length === 0) throw new UsageError('--client is one of caddy traefik certbot lego acme.sh node');
    }
    if (values.json) process.stdout.write(`${JSON.stringify(snippets, null, 2)}\n`);
    else
      for (const s of snippets)
        process.stdout.write(`${bold(`── ${s.label}`)} ${dim(`(${s.kind})`)}\n${s.text}${s.notes.map((n) => dim(`# ${n}\n`)).join('')}\n`);
    return 0;
  } finally {
    certs.close();
  }
}
