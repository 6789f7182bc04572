// `lanyard acme serve`: the local ACME server in the foreground, on the Lanyard CA, until Ctrl+C; `lanyard acme
// clients`: each client's setup for it (acme-clients.ts).
// Like `lanyard cert` it runs the certificates service in this process, not through the host.
import { readFileSync } from 'node:fs';
import type { AcmeConfig } from '../acme/policy.ts';
import { resolveDataDir } from '../../system/data-dir.ts';
import { parseOptions, parsePort, UsageError, type CommandModule } from '../../system/command-line.ts';

const say = (line: string) => process.stderr.write(`${line}\n`);

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

async function serve(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    port: { type: 'string' },
    bind: { type: 'string' },
    validity: { type: 'string' },
    names: { type: 'string', multiple: true },
    'resolve-local': { type: 'boolean' },
    'http-port': { type: 'string' },
    'tls-port': { type: 'string' },
    'dns-server': { type: 'string' },
    'ca-passphrase-file': { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`acme serve takes no names (got "${positionals[0]}"); use --names`);
  const { parseDnsServer, parseValidity } = await import('../acme/policy.ts');
  const { CertsService } = await import('../service.ts');
  const certs = new CertsService({ dataDir: resolveDataDir(process.env).path, env: process.env });
  const saved = certs.acme.settings();
  let validityHours = saved.validityHours;
  let dnsServer = saved.dnsServer;
  try {
    if (values.validity) validityHours = parseValidity(values.validity);
    if (values['dns-server'] !== undefined) dnsServer = values['dns-server'] === '' ? null : parseDnsServer(values['dns-server']);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const config: AcmeConfig = {
    ...saved,
    port: parsePort(values.port, saved.port),
    bind: values.bind ?? saved.bind,
    validityHours,
    names: values.names
      ? values.names
          .flatMap((n) => n.split(','))
          .map((n) => n.trim())
          .filter(Boolean)
      : saved.names,
    resolveLocal: values['resolve-local'] ?? saved.resolveLocal,
    httpPort: parsePort(values['http-port'], saved.httpPort),
    tlsPort: parsePort(values['tls-port'], saved.tlsPort),
    dnsServer,
  };
  const passphrase = values['ca-passphrase-file']
    ? readFileSync(values['ca-passphrase-file'], 'utf8').replace(/\r?\n$/, '')
    : process.env.LANYARD_CA_PASSPHRASE || undefined;
  const status = await certs.acme.start(await certs.signingCa(passphrase), config);
  say(`ACME directory: ${status.directoryUrl}`);
  say(`CA certificate (give it to clients): ${status.caFile}`);
  say(
    `Validity ${config.validityHours} h; names: ${config.names.join(', ')}; validation on ports ${config.httpPort} (http-01) and ${config.tlsPort} (tls-alpn-01)` +
      `${config.resolveLocal ? ', every name resolved to 127.0.0.1' : ", each name at this machine's addresses it resolves to"}` +
      `${config.dnsServer ? `; dns-01 asks ${config.dnsServer}` : ''}. Ctrl+C stops.`,
  );
  await untilSignal();
  await certs.close();
  say('ACME server stopped.');
  return 0;
}

const subcommands: Record<string, (args: string[]) => Promise<number>> = {
  serve,
  clients: async (args) => (await import('./acme-clients.ts')).runClients(args, resolveDataDir(process.env).path),
};

export const run: CommandModule['run'] = async (args) => {
  const [sub, ...rest] = args;
  const handler = sub ? subcommands[sub] : undefined;
  if (!handler) throw new UsageError(sub ? `unknown acme command "${sub}" (serve, clients)` : 'acme needs a command: serve or clients');
  return handler(rest);
};
