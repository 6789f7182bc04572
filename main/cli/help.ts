import type { CommandModule } from './usage.ts';

export interface CommandEntry {
  name: string;
  usage: string;
  summary: string;
  details: string;
  load(): Promise<CommandModule>;
}

export const commands: CommandEntry[] = [
  {
    name: 'doctor',
    usage: 'lanyard doctor [--json]',
    summary: 'check versions, the data folder and the outside tools Lanyard uses',
    details: [
      'Reports the app, Node, Electron and SQLite versions, the data folder and its permissions,',
      'and each outside tool: the Docker engine (from DOCKER_HOST / docker context), Wireshark, tshark,',
      'dumpcap and the personal extcap folder, certutil, openssl, keytool, and bash / zsh / fish with',
      'whether the history hook is installed. Missing tools come with the command that installs them.',
      '',
      '  --json   print the report as JSON',
    ].join('\n'),
    load: () => import('./commands/doctor.ts'),
  },
  {
    name: 'docker',
    usage: 'lanyard docker cheats [QUERY] [--json] | show ID | run ID [--set name=value …] [--dry-run] [--yes] | suggest KIND [--running] | import navi|tldr PATH | engine',
    summary: 'Docker cheats filled from the live engine: list, show, run or print them',
    details: [
      'The engine is found as the docker CLI finds it (DOCKER_HOST, DOCKER_CONTEXT, the current context).',
      '',
      '  cheats [QUERY] [--json]   list the cheats, best fuzzy match first',
      '  show ID                   a cheat, its placeholders and the values you used last',
      '  run ID --set name=value   fill the placeholders, run the command and exit with its code',
      '      --dry-run             print the exact command line instead of running it',
      '      --yes                 run a dangerous cheat (rm, prune…) without asking',
      '  suggest KIND [--running]  values the engine offers: container, image, volume, network, context',
      '  import navi|tldr PATH     add navi .cheat files or tldr pages (a file or folder) to your cheats',
      '  engine [--json]           where the engine is and whether it answers',
      '',
      'Values are quoted for the shell (PowerShell on Windows): a value can never become a second command.',
    ].join('\n'),
    load: () => import('./commands/docker.ts'),
  },
  {
    name: 'cert',
    usage: 'lanyard cert [flags] NAME... | lanyard cert -install | lanyard cert list|renew|remove|status|adopt|env',
    summary: 'local CA and development certificates, mkcert-compatible, with an inventory and renewal',
    details: [
      'Issues certificates for any mix of host names, wildcards, IP addresses, email addresses and URIs,',
      "signed by a local CA created on first use in $CAROOT or $LANYARD_HOME/ca. mkcert's flags work with one",
      'dash or two, and its file names are kept (localhost+2.pem, localhost+2-key.pem, _wildcard.app.test.pem).',
      '',
      '  -install / -uninstall   add / remove the CA in the system store, NSS (Chromium, Firefox) and Java',
      '  --store S (repeat)      only these stores: system nss java macos windows',
      '  --scope user|system     macOS keychain / Windows store (default system)',
      '  -CAROOT                 print the CA folder',
      '  -cert-file F -key-file F -p12-file F   output paths (default: mkcert names in this folder)',
      '  -client                 a client certificate (clientAuth)',
      '  -ecdsa | --rsa          key type (default ECDSA P-256; RSA is 2048-bit for leaves, 3072 for a CA)',
      '  -pkcs12                 write a .p12 (AES-256, opens in OpenSSL 3, Node and keytool)',
      '  --p12-password P        .p12 password (default "changeit", as mkcert)',
      '  -csr FILE               sign a CSR (names and key from the request)',
      '  --days N                validity (default 2 years 3 months; over 825 days warns for Apple)',
      '  --json                  print the result as JSON',
      '  --create-ca [--rsa]     create the CA now (10 years)',
      '  --constrain --permit NAME|CIDR ...   create a name-constrained CA (e.g. --permit test --permit 127.0.0.0/8)',
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
    load: () => import('./commands/cert.ts'),
  },
  {
    name: 'tzsp',
    usage: 'lanyard tzsp listen|send|decap|install-extcap [options]',
    summary: 'receive TZSP from MikroTik / Scratch\'n\'Sniff sensors into pcapng and Wireshark',
    details: [
      'lanyard tzsp listen [--port 37008] [--bind ADDR] [--allow ADDR[/N],…] [--stdout] [--tcp PORT] [--wireshark]',
      '                    [--write FILE.pcapng [--rotate-size 100M] [--rotate-seconds N] [--ring N]] [--quiet]',
      '  Receives TZSP on UDP (IPv4, or IPv6 with --bind ::), one pcapng interface per sensor and link type.',
      '  --stdout streams pcapng for `| wireshark -k -i -`; --tcp serves it for `wireshark -k -i TCP@127.0.0.1:PORT`;',
      '  --wireshark starts Wireshark on the live stream. Ctrl+C / SIGTERM flush every output and print a summary.',
      '',
      'lanyard tzsp send --pcap FILE --to HOST[:PORT] [--rate PPS] [--loop]',
      '  Replays a pcap/pcapng as TZSP (Ethernet as MikroTik sends it: 01 00 00 01 01 + frame).',
      '',
      'lanyard tzsp decap IN.pcap[ng] OUT.pcapng [--port 37008]',
      '  Pulls the TZSP-carried frames out of a capture of UDP traffic, one interface per sensor.',
      '',
      'lanyard tzsp install-extcap',
      '  Puts a launcher in Wireshark\'s personal extcap folder so "Lanyard TZSP receiver" is in its interface list',
      '  (and `tshark -i lanyard-tzsp`), with port, bind address and allow-list settings.',
    ].join('\n'),
    load: () => import('./commands/tzsp.ts'),
  },
  {
    name: 'serve',
    usage: 'lanyard serve [--port N] [--host ADDR] [--open]',
    summary: 'run the Lanyard UI in a browser, served on loopback with a secret token',
    details: [
      'Serves the app and its services to a browser. Binds 127.0.0.1 on a random free port unless told',
      'otherwise. The printed URL carries a random token; requests without it, or from another site',
      '(foreign Origin or Host header), are refused.',
      '',
      '  --port N      port to listen on (default: a free one)',
      '  --host ADDR   address to bind (default 127.0.0.1)',
      '  --open        open the URL in your browser',
    ].join('\n'),
    load: () => import('./commands/serve.ts'),
  },
  {
    name: 'app',
    usage: 'lanyard app [--no-download]',
    summary: 'start the desktop app (falls back to `serve --open` where Electron cannot run)',
    details: [
      'Starts the Electron app, fetching its binary first if npm skipped the download. Where the binary cannot be had,',
      'or there is no display, says why and runs `lanyard serve --open` instead.',
      '',
      '  --no-download   never fetch the Electron binary; fall back to serve if it is missing',
    ].join('\n'),
    load: () => import('./commands/app.ts'),
  },
];

export function helpText(topic?: string): string {
  const command = topic ? commands.find((c) => c.name === topic) : undefined;
  if (command) return `usage: ${command.usage}\n\n${command.summary}.\n\n${command.details}\n`;
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'lanyard — certificates, shell history, Docker cheats and TZSP captures in one workbench',
    '',
    'usage: lanyard <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'options:',
    '  -h, --help     show help (also: lanyard help <command>)',
    '  -v, --version  print the version',
    '',
    'Data lives in $LANYARD_HOME (default ~/.local/share/lanyard on Linux).',
    '',
  ].join('\n');
}
