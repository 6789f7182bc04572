// The exact configuration each ACME client needs to get certificates from Lanyard's ACME directory and to trust
// it: pure, so the CLI (`lanyard acme clients`) and the Certificates view show the same text. Shell lines are
// argv + environment here; the caller renders them for the user's shell (system/shell-quote.ts envCommandLine),
// since only the caller knows which shell that is.
import type { AcmeClientSnippet } from '../certs/contract.ts';

/** A snippet: where its text goes (a Caddyfile, Traefik's static YAML, shell lines), and its shell lines as data. */
export type ClientSnippet = AcmeClientSnippet;
export type AcmeClientId = ClientSnippet['client'];
/** A command to run: the environment it needs, then the program and its arguments, each passed as is. */
export type ShellCommand = ClientSnippet['commands'][number];
export type RenderCommand = (command: ShellCommand) => string;

export interface AcmeClientInput {
  /** The ACME directory URL, e.g. https://127.0.0.1:14000/directory. */
  directoryUrl: string;
  /** The Lanyard CA root certificate (PEM) that the client must trust to talk to the directory. */
  rootFile: string;
  /** The system bundle plus the Lanyard root, for clients that replace their whole pool with one file. */
  bundleFile: string;
  /** The name to ask a certificate for, e.g. app.test. */
  name: string;
  /** Where the server connects for http-01 and tls-alpn-01 (80 and 443 unless moved), and how long it signs for. */
  httpPort: number;
  tlsPort: number;
  validityHours: number;
  render: RenderCommand;
}

/** A validity as people say it of a certificate: "7-day", "36-hour". */
function lifetime(hours: number): string {
  return hours % 24 === 0 ? `${hours / 24}-day` : `${hours}-hour`;
}

export class SnippetError extends Error {}

// Caddyfile tokens: a bare word unless it holds a space, quote, brace, # or backtick; then a backtick token (read
// raw, no escapes) or, when the value holds a backtick, a "…" token with \" — Caddy reads both the same.
const caddyBare = /^[^\s"'`{}#\\]+$/;
export function caddyToken(value: string): string {
  if (value === '' || /[\r\n\0]/.test(value))
    throw new SnippetError(`A Caddyfile value cannot be empty or hold a line break: ${JSON.stringify(value)}`);
  if (caddyBare.test(value)) return value;
  if (!value.includes('`')) return `\`${value}\``;
  if (!value.includes('\\')) return `"${value.replaceAll('"', '\\"')}"`;
  throw new SnippetError(`A Caddyfile value cannot hold both a backtick and a backslash: ${JSON.stringify(value)}`);
}

/** A YAML scalar: JSON's double-quoted string is also YAML's, escapes included. */
const yamlString = (value: string) => JSON.stringify(value);

function caddy({ directoryUrl, rootFile, name, httpPort, tlsPort }: AcmeClientInput): ClientSnippet {
  // Caddy answers http-01 on its HTTP port and tls-alpn-01 on its HTTPS port: they must be where the server looks.
  const text = [
    '{',
    `\tacme_ca ${caddyToken(directoryUrl)}`,
    `\tacme_ca_root ${caddyToken(rootFile)}`,
    ...(httpPort === 80 ? [] : [`\thttp_port ${httpPort}`]),
    ...(tlsPort === 443 ? [] : [`\thttps_port ${tlsPort}`]),
    '}',
    '',
    `${caddyToken(name)} {`,
    '\treverse_proxy 127.0.0.1:3000',
    '}',
    '',
  ].join('\n');
  return {
    client: 'caddy',
    label: 'Caddy',
    kind: 'caddyfile',
    text,
    commands: [],
    notes: [
      'The braces at the top are the global options block: it must be the first thing in the Caddyfile.',
      `Caddy answers the http-01 challenge on port ${httpPort} and serves ${name} on ${tlsPort}, renewing on its own.`,
    ],
  };
}

function traefik({ directoryUrl, bundleFile, httpPort, render }: AcmeClientInput): ClientSnippet {
  const start: ShellCommand = { env: [['LEGO_CA_CERTIFICATES', bundleFile]], argv: ['traefik', '--configFile=traefik.yml'] };
  const yaml = [
    'entryPoints:',
    '  web:',
    `    address: ":${httpPort}"`,
    '  websecure:',
    '    address: ":443"',
    'certificatesResolvers:',
    '  lanyard:',
    '    acme:',
    `      caServer: ${yamlString(directoryUrl)}`,
    '      storage: "acme.json"',
    '      httpChallenge:',
    '        entryPoint: "web"',
  ].join('\n');
  return {
    client: 'traefik',
    label: 'Traefik',
    kind: 'yaml',
    text: `# traefik.yml (static configuration); start Traefik with the CA it must trust:\n# ${render(start)}\n${yaml}\n`,
    commands: [start],
    notes: [
      "LEGO_CA_CERTIFICATES replaces the system pool for every ACME server Traefik talks to, so it points at a bundle of the system roots plus Lanyard's: a resolver for a public CA keeps working.",
      'Routers choose the resolver with tls.certResolver=lanyard (label: traefik.http.routers.NAME.tls.certresolver=lanyard).',
    ],
  };
}

function certbot({ directoryUrl, rootFile, name, httpPort, render }: AcmeClientInput): ClientSnippet {
  const env: ShellCommand['env'] = [['REQUESTS_CA_BUNDLE', rootFile]];
  const port = httpPort === 80 ? [] : ['--http-01-port', String(httpPort)];
  const obtain: ShellCommand = {
    env,
    argv: [
      'certbot',
      'certonly',
      '--standalone',
      ...port,
      '--server',
      directoryUrl,
      '--agree-tos',
      '--register-unsafely-without-email',
      '-d',
      name,
    ],
  };
  const renew: ShellCommand = { env, argv: ['certbot', 'renew', '--server', directoryUrl] };
  return {
    client: 'certbot',
    label: 'certbot',
    kind: 'shell',
    text: `${render(obtain)}\n${render(renew)}\n`,
    commands: [obtain, renew],
    notes: [
      "REQUESTS_CA_BUNDLE replaces the pool of the Python requests library for this run only: certbot then trusts Lanyard's directory.",
      `--standalone listens on port ${httpPort} for the challenge; --webroot -w DIR uses a running web server instead.`,
    ],
  };
}

function lego({ directoryUrl, rootFile, name, httpPort, validityHours, render }: AcmeClientInput): ClientSnippet {
  const env: ShellCommand['env'] = [['LEGO_CA_CERTIFICATES', rootFile]];
  const common = [
    'lego',
    '--server',
    directoryUrl,
    '--accept-tos',
    '--email',
    `dev@${name.replace(/^\*\./, '')}`,
    '--domains',
    name,
    '--http',
    ...(httpPort === 80 ? [] : ['--http.port', `:${httpPort}`]),
  ];
  // lego counts in whole days and renews when fewer are left: about a third of the life, at least one.
  const days = Math.max(1, Math.ceil(validityHours / 24 / 3));
  const obtain: ShellCommand = { env, argv: [...common, 'run'] };
  const renew: ShellCommand = { env, argv: [...common, 'renew', '--days', String(days)] };
  return {
    client: 'lego',
    label: 'lego',
    kind: 'shell',
    text: `${render(obtain)}\n${render(renew)}\n`,
    commands: [obtain, renew],
    notes: [
      "LEGO_CA_CERTIFICATES replaces the system pool of this lego run: it trusts Lanyard's directory only.",
      validityHours > 24 * days
        ? `renew --days ${days} renews a ${lifetime(validityHours)} certificate when ${days} day${days === 1 ? ' is' : 's are'} left${validityHours <= 30 * 24 ? " (lego's default of 30 would renew every time)" : ''}.`
        : `lego counts in whole days, so renew --days ${days} renews a ${lifetime(validityHours)} certificate on every run: run it no more often than you want a new one.`,
    ],
  };
}

function acmeSh({ directoryUrl, rootFile, name, httpPort, render }: AcmeClientInput): ClientSnippet {
  const obtain: ShellCommand = {
    env: [],
    argv: [
      'acme.sh',
      '--issue',
      '--server',
      directoryUrl,
      '--ca-bundle',
      rootFile,
      '-d',
      name,
      '--standalone',
      ...(httpPort === 80 ? [] : ['--httpport', String(httpPort)]),
    ],
  };
  return {
    client: 'acme.sh',
    label: 'acme.sh',
    kind: 'shell',
    text: `${render(obtain)}\n`,
    commands: [obtain],
    notes: ['acme.sh remembers --server and --ca-bundle for the certificate, so its cron job renews from Lanyard too.'],
  };
}

function node({ rootFile, name, render }: AcmeClientInput): ClientSnippet {
  const run: ShellCommand = { env: [['NODE_EXTRA_CA_CERTS', rootFile]], argv: ['node', 'app.js'] };
  return {
    client: 'node',
    label: 'Node.js',
    kind: 'shell',
    text: `${render(run)}\n`,
    commands: [run],
    notes: [
      `NODE_EXTRA_CA_CERTS adds Lanyard's root to Node's own (it replaces nothing), so https://${name} is trusted by fetch, https and undici.`,
    ],
  };
}

/** Every client's snippet, in the order a newcomer reaches for them. */
export function acmeClientSnippets(input: AcmeClientInput): ClientSnippet[] {
  return [caddy(input), traefik(input), certbot(input), lego(input), acmeSh(input), node(input)];
}
