// Certificates' front door: the CA and inventory service, its schema, `lanyard cert` help and its Doctor checks.
import { defaultP12Password } from './contract-defaults.ts';
import type { ToolDefinition } from '../system/define-tool.ts';

export const tool = {
  name: 'certs',
  // The X.509 and ASN.1 libraries load on the first certs request, so they cost nothing to other commands' start-up.
  async load({ dataDir, env }) {
    const [{ certsHandlers }, { CertsService }] = await Promise.all([import('./handlers.ts'), import('./service.ts')]);
    const certs = new CertsService({ dataDir: dataDir.path, env });
    // The ACME server comes back on with the host when the user left it on; a failure shows on its card.
    await certs.resumeAcme();
    return certsHandlers(certs);
  },
  checks: async () => (await import('./checks.ts')).checks,
  checkGroup: { title: 'Certificates', blurb: 'Trust stores the local CA is installed into.' },
  commands: [
    {
      name: 'cert',
      load: () => import('./cli/cert.ts'),
      usage: 'lanyard cert [flags] NAME... | lanyard cert -install | lanyard cert list|renew|remove|status|adopt|env|trust',
      summary: 'local CA and development certificates, mkcert-compatible, with an inventory and renewal',
      details: [
        'Issues certificates for any mix of host names, wildcards, IP addresses, email addresses and URIs,',
        "signed by a local CA created on first use in $CAROOT or $LANYARD_HOME/ca. mkcert's flags work with one",
        'dash or two, and its file names are kept (localhost+2.pem, localhost+2-key.pem, _wildcard.app.test.pem).',
        '',
        '  -install / -uninstall   add / remove the CA in the system store, NSS (Chromium, Firefox) and Java',
        '  -uninstall --delete-ca  then delete the CA files (refused while any store still holds the root)',
        '  --store S (repeat)      only these stores: system nss java macos windows',
        '  --scope user|system     macOS keychain / Windows store (default system)',
        '  -CAROOT                 print the CA folder',
        '  -cert-file F -key-file F -p12-file F   output paths (default: mkcert names in this folder)',
        '  -client                 a client certificate (clientAuth)',
        '  -ecdsa | --rsa          key type (default ECDSA P-256; RSA is 2048-bit for leaves, 3072 for a CA)',
        '  -pkcs12                 write a .p12 (AES-256, opens in OpenSSL 3, Node and keytool)',
        `  --p12-password P        .p12 password (default "${defaultP12Password}", as mkcert)`,
        '  -csr FILE               sign a CSR (names and key from the request)',
        '  --days N                validity (default 2 years 3 months; over 825 days warns for Apple)',
        '  --json                  print the result as JSON',
        '  --create-ca [--rsa]     create the CA now (10 years)',
        '  --constrain --permit NAME|CIDR ...   create a name-constrained CA (e.g. --permit test --permit 127.0.0.0/8);',
        '                          it signs host names, emails and URIs under those names and addresses in those ranges',
        '  --ca-passphrase-file F  passphrase for the CA key (or LANYARD_CA_PASSPHRASE); on --create-ca it encrypts the key',
        '',
        '  list [--json] [--expiring DAYS]      the inventory, soonest expiry first',
        '  renew ID | renew --expiring DAYS     re-issue the same names to the same files',
        '  remove ID [--delete-files]           forget a certificate (and delete its files)',
        '  status [--json]                      the CA and whether each trust store trusts it',
        "  adopt [DIR]                          use an existing CA folder (default: mkcert's CAROOT)",
        '  env                                  NODE_EXTRA_CA_CERTS / REQUESTS_CA_BUNDLE / SSL_CERT_FILE lines',
        '  trust --container NAME [--yes]       the CA into a running container (Debian, Alpine, RHEL families): shows the',
        '                                       docker commands, runs them only with --yes, then checks the bundle',
        '  trust --dockerfile [--container NAME]  the Dockerfile lines that do the same for an image',
        '',
        'To issue for a host literally called "list" (or another subcommand), put -- before the names.',
      ].join('\n'),
    },
    {
      name: 'acme',
      load: () => import('./cli/acme.ts'),
      usage:
        'lanyard acme serve [--port 14000] [--bind 127.0.0.1] [--validity 7d] [--names N,...] [--resolve-local] [--dns-server IP:PORT] | clients [--name NAME]',
      summary: 'a local ACME server (RFC 8555) on the Lanyard CA, for certbot, lego, Caddy and Traefik',
      details: [
        'Serves an ACME directory over HTTPS (its certificate from the Lanyard CA) until Ctrl+C. Clients register,',
        'order, prove control with http-01 or tls-alpn-01, and get certificates signed by the same CA as',
        '`lanyard cert` (name constraints apply). Every certificate appears in `lanyard cert list`.',
        '',
        '  --port N            port to listen on (default 14000; 0 = a free one)',
        '  --bind ADDR         address to bind (default 127.0.0.1)',
        '  --validity D        certificate lifetime: 7d (default), 36h, 90m; at least 1 hour',
        '  --names N,...       names it validates: exact names, *.suffix, local-ips',
        '                      (default localhost, *.localhost, *.test, *.internal, local-ips)',
        '  --resolve-local     validate every name at 127.0.0.1 (dev names with no DNS); without it a',
        "                      name is validated at this machine's addresses it resolves to (/etc/hosts, DNS)",
        '  --http-port N       port http-01 connects to (default 80, as RFC 8555 says; for clients',
        '                      that cannot bind 80, e.g. certbot --http-01-port, lego --http.port)',
        '  --tls-port N        port tls-alpn-01 connects to (default 443; lego --tls.port)',
        '  --dns-server IP:PORT  offer dns-01, asking this DNS server for _acme-challenge TXT records',
        '                      (e.g. a local one your DNS hook publishes to; "" turns dns-01 off)',
        '  --ca-passphrase-file F   passphrase for the CA key (or LANYARD_CA_PASSPHRASE)',
        '',
        "Settings not given come from the app's ACME card (saved in the database).",
        '',
        'lanyard acme clients [--url URL] [--name NAME] [--client ID] [--json]',
        '  prints, for each ACME client, the configuration that points it at the directory and makes it trust the',
        "  Lanyard CA: Caddy's acme_ca / acme_ca_root, Traefik's caServer with LEGO_CA_CERTIFICATES, certbot's --server",
        "  with REQUESTS_CA_BUNDLE, lego's --server with LEGO_CA_CERTIFICATES, acme.sh's --server --ca-bundle and",
        '  NODE_EXTRA_CA_CERTS. Shell lines are quoted for your shell.',
        "  --url URL      the directory URL (default: the server running on this data, app's or `acme serve`'s;",
        '                 with none running, the one its settings will start)',
        '  --name NAME    the name to get a certificate for (default app.test; no wildcards)',
        '  --client ID    only this client: caddy traefik certbot lego acme.sh node',
        '  --json         the snippets as JSON (text, and each shell line as argv and environment)',
      ].join('\n'),
    },
  ],
} satisfies ToolDefinition<'certs'>;
