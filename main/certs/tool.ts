// Certificates' front door: the CA and inventory service, its schema, `lanyard cert` help and its Doctor checks.
import { defaultP12Password } from './contract-defaults.ts';
import type { ToolDefinition } from '../system/define-tool.ts';

export const tool = {
  name: 'certs',
  // The X.509 and ASN.1 libraries load on the first certs request, so they cost nothing to other commands' start-up.
  async load({ dataDir, env }) {
    const [{ certsHandlers }, { CertsService }] = await Promise.all([import('./handlers.ts'), import('./service.ts')]);
    return certsHandlers(new CertsService({ dataDir: dataDir.path, env }));
  },
  checks: async () => (await import('./checks.ts')).checks,
  checkGroup: { title: 'Certificates', blurb: 'Trust stores the local CA is installed into.' },
  commands: [
    {
      name: 'cert',
      load: () => import('./cli/cert.ts'),
      usage: 'lanyard cert [flags] NAME... | lanyard cert -install | lanyard cert list|renew|remove|status|adopt|env',
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
        '',
        'To issue for a host literally called "list" (or another subcommand), put -- before the names.',
      ].join('\n'),
    },
  ],
} satisfies ToolDefinition<'certs'>;
