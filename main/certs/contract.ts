import { z } from 'zod';
import { defaultP12Password } from './contract-defaults.ts';

export const keyType = z.enum(['ecdsa', 'rsa']);
export type KeyType = z.infer<typeof keyType>;

export const certName = z.object({ kind: z.enum(['dns', 'ip', 'email', 'uri']), value: z.string() });
export type CertName = z.infer<typeof certName>;

export const storeId = z.enum(['system', 'nss', 'java', 'macos', 'windows']);
export type StoreId = z.infer<typeof storeId>;

export const storeStatus = z.object({
  id: storeId,
  label: z.string(),
  /** False when the store or its tool is absent here (no certutil, no NSS database, no Java). */
  available: z.boolean(),
  /** Null when it could not be told (store unavailable). */
  installed: z.boolean().nullable(),
  /** Some trace of the root is there (what uninstall would remove); null when it could not be told. */
  present: z.boolean().nullable(),
  detail: z.string(),
  /** The databases / files / keychains this store covers. */
  locations: z.array(z.string()),
});
export type StoreStatus = z.infer<typeof storeStatus>;

export const caInfo = z.object({
  subject: z.string(),
  serial: z.string(),
  fingerprint: z.string(),
  keyType,
  notBefore: z.string(),
  notAfter: z.string(),
  /** Name constraints (DNS subtrees and CIDRs); null when the CA may sign any name. */
  permits: z.array(z.string()).nullable(),
  /** The key file is protected by a passphrase. */
  encrypted: z.boolean(),
  /** The key file is present (a CA without it can no longer sign). */
  hasKey: z.boolean(),
  certFile: z.string(),
  keyFile: z.string(),
  /** Name used for this root in every trust store. */
  storeName: z.string(),
});
export type CaInfo = z.infer<typeof caInfo>;

export const caState = z.object({
  dir: z.string(),
  /** $CAROOT, an adopted (e.g. mkcert) folder, or $LANYARD_HOME/ca. */
  source: z.enum(['CAROOT', 'adopted', 'lanyard']),
  ca: caInfo.nullable(),
  /** mkcert's own CAROOT, offered for adoption when it holds a CA. */
  mkcertDir: z.string(),
  mkcertHasCa: z.boolean(),
  proposedPermits: z.array(z.string()),
  /** The user's own domains (from issued names and this machine's name), offered as further permits. */
  ownDomains: z.array(z.string()),
  /** Where the app writes new certificates unless told otherwise. */
  defaultDir: z.string(),
  /** Shell lines for runtimes that ignore the OS store (empty without a CA). */
  envLines: z.array(z.string()),
});
export type CaState = z.infer<typeof caState>;

export const inventoryEntry = z.object({
  id: z.number().int(),
  names: z.array(certName),
  keyType,
  client: z.boolean(),
  serial: z.string(),
  fingerprint: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  daysLeft: z.number().int(),
  days: z.number().int().nullable(),
  certFile: z.string().nullable(),
  keyFile: z.string().nullable(),
  p12File: z.string().nullable(),
  csrFile: z.string().nullable(),
  /** Signed by the CA in use now (renewal needs that CA). */
  fromCurrentCa: z.boolean(),
  createdAt: z.string(),
  renewedAt: z.string().nullable(),
  /** Issued over ACME: the account (its URL id) and the client that asked (User-Agent); null otherwise. */
  acme: z.object({ account: z.string(), client: z.string() }).nullable(),
  /** When it was revoked (ACME-issued certificates only). */
  revokedAt: z.string().nullable(),
});
export type InventoryEntry = z.infer<typeof inventoryEntry>;

export const issueResult = z.object({
  entry: inventoryEntry,
  warnings: z.array(z.string()),
  /** Set when a .p12 was written: the password that opens it. */
  p12Password: z.string().nullable(),
  /** True when this request had to create the CA first. */
  createdCa: z.boolean(),
});
export type IssueResult = z.infer<typeof issueResult>;

export const trustEvent = z.discriminatedUnion('type', [
  /** Sent before a command runs: exactly what will run, shell-quoted. */
  z.object({ type: z.literal('command'), store: storeId, command: z.string(), privileged: z.boolean() }),
  z.object({ type: z.literal('result'), store: storeId, command: z.string(), ok: z.boolean(), output: z.string() }),
  z.object({ type: z.literal('store'), status: storeStatus, ok: z.boolean(), detail: z.string() }),
  /** stores: each store this run looked at, as verified at the end; manual: commands that failed or need privileges, for the user to run themselves. */
  z.object({ type: z.literal('done'), ok: z.boolean(), stores: z.array(storeStatus), manual: z.array(z.string()) }),
]);
export type TrustEvent = z.infer<typeof trustEvent>;

const scope = z.enum(['system', 'user']).default('system').describe('macOS keychain / Windows store: machine-wide or the current user');
const passphrase = z.string().min(1).optional().describe('the CA key passphrase, when it has one');
const days = z.number().int().min(1).max(3650).optional().describe('validity in days; default 2 years 3 months (mkcert)');
const empty = z.object({}).strict();

const shellCommand = z.object({ env: z.array(z.tuple([z.string(), z.string()])), argv: z.array(z.string()) });
export const acmeClientSnippet = z.object({
  client: z.enum(['caddy', 'traefik', 'certbot', 'lego', 'acme.sh', 'node']),
  label: z.string(),
  kind: z.enum(['caddyfile', 'yaml', 'shell']),
  text: z.string(),
  commands: z.array(shellCommand),
  notes: z.array(z.string()),
});
export type AcmeClientSnippet = z.infer<typeof acmeClientSnippet>;

export const certsMethods = {
  'certs.ca': {
    summary: 'Where the CA lives, its details, and the shell lines for runtimes that ignore the OS trust store.',
    params: empty,
    result: caState,
  },
  'certs.createCa': {
    summary: 'Create the CA (ECDSA P-256 or RSA-3072, 10 years), optionally name-constrained and passphrase-protected.',
    params: z
      .object({
        keyType: keyType.default('ecdsa'),
        permits: z.array(z.string().min(1)).optional().describe('name constraints: DNS names and CIDRs; absent = unconstrained'),
        passphrase,
      })
      .strict(),
    result: caState,
  },
  'certs.adoptCa': {
    summary: "Use an existing CA folder (mkcert's CAROOT by default) instead of Lanyard's own.",
    params: z.object({ dir: z.string().min(1).optional() }).strict(),
    result: caState,
  },
  'certs.issue': {
    summary: 'Issue a certificate for names (DNS, wildcard, IP, email, URI); creates the CA on first use.',
    params: z
      .object({
        names: z.array(z.string()).min(1),
        keyType: keyType.default('ecdsa'),
        client: z.boolean().default(false),
        days,
        dir: z.string().min(1).describe('absolute folder for mkcert-style default file names'),
        certFile: z.string().min(1).optional(),
        keyFile: z.string().min(1).optional(),
        p12File: z.string().min(1).optional(),
        pkcs12: z.boolean().default(false),
        p12Password: z.string().min(1).default(defaultP12Password),
        caPassphrase: passphrase,
      })
      .strict(),
    result: issueResult,
  },
  'certs.signCsr': {
    summary: 'Sign a certificate signing request (names and key from the request; extensions allow-listed).',
    params: z
      .object({
        csrFile: z.string().min(1),
        days,
        dir: z.string().min(1),
        certFile: z.string().min(1).optional(),
        caPassphrase: passphrase,
      })
      .strict(),
    result: issueResult,
  },
  'certs.list': {
    summary: 'Every certificate Lanyard issued, soonest expiry first.',
    params: z.object({ expiringWithinDays: z.number().int().min(0).optional() }).strict(),
    result: z.array(inventoryEntry),
  },
  'certs.renew': {
    summary: 'Re-issue certificates (same names, same files, new key and dates): one by id, or all expiring within N days.',
    params: z
      .object({
        id: z.number().int().optional(),
        expiringWithinDays: z.number().int().min(0).optional(),
        p12Password: z.string().min(1).default(defaultP12Password).describe('for entries written as .p12'),
        caPassphrase: passphrase,
      })
      .strict()
      .refine((p) => (p.id === undefined) !== (p.expiringWithinDays === undefined), { message: 'give either id or expiringWithinDays' }),
    result: z.object({ renewed: z.array(inventoryEntry), warnings: z.array(z.string()) }),
  },
  'certs.remove': {
    summary: 'Forget an inventory entry, optionally deleting its files.',
    params: z.object({ id: z.number().int(), deleteFiles: z.boolean().default(false) }).strict(),
    result: z.object({ deletedFiles: z.array(z.string()) }),
  },
  'certs.pem': {
    summary: "An issued certificate's PEM (the certificate only; never a key).",
    params: z.object({ id: z.number().int() }).strict(),
    result: z.object({ pem: z.string() }),
  },
  'certs.checkNames': {
    summary: "Classify and normalise names as issuance would (for the form's chips): kind and value, or why not.",
    params: z.object({ names: z.array(z.string()) }).strict(),
    result: z.array(z.object({ input: z.string(), name: certName.nullable(), error: z.string().nullable(), forbidden: z.boolean() })),
  },
  'certs.reveal': {
    summary: "Show an issued certificate's file in the system file manager.",
    params: z.object({ id: z.number().int() }).strict(),
    result: z.object({ command: z.string() }),
  },
  'certs.deleteCa': {
    summary: 'Delete the CA files; refused while any trust store still holds the root (uninstall first).',
    params: empty,
    result: z.object({ deletedFiles: z.array(z.string()) }),
  },
  'certs.trustStatus': {
    summary: 'Whether the CA is trusted by each store on this machine.',
    params: z.object({ scope }).strict(),
    result: z.array(storeStatus),
  },
  // ACME client snippets (issue 14 point 4), for the ACME card.
  'certs.acmeClients': {
    summary:
      "Each ACME client's setup (Caddy, Traefik, certbot, lego, acme.sh, Node) for a directory URL, shell lines quoted for the user's shell.",
    params: z
      .object({
        url: z.string().url().startsWith('https://').optional().describe('the ACME directory (default https://127.0.0.1:14000/directory)'),
        name: z
          .string()
          .regex(/^(?:\*\.)?[A-Za-z0-9.:-]{1,253}$/)
          .default('app.test'),
      })
      .strict(),
    result: z.array(acmeClientSnippet),
  },
} as const;

export const certsStreams = {
  'certs.trust': {
    summary: 'Install or uninstall the CA in trust stores, each command announced before it runs and each store verified after.',
    params: z
      .object({
        action: z.enum(['install', 'uninstall']),
        stores: z.array(storeId).optional().describe('all stores that apply here when absent'),
        scope,
      })
      .strict(),
    event: trustEvent,
  },
} as const;

// ---- certs.acme*: the local ACME server. ----

export const acmeSettings = z.object({
  /** Started with the service host; off until the user turns it on. */
  enabled: z.boolean(),
  port: z.number().int().min(0).max(65535),
  bind: z.string().min(1),
  /** Certificate lifetime in hours, at least 1. */
  validityHours: z
    .number()
    .min(1)
    .max(24 * 3650),
  /** Names it validates: exact names, "*.suffix", "local-ips". */
  names: z.array(z.string().min(1)).max(100),
  /** Validate every name at 127.0.0.1 (dev names with no DNS); off, at this machine's addresses the name resolves to. */
  resolveLocal: z.boolean(),
  /** Ports validation connects to: 80 and 443 per the RFCs; others for clients that cannot bind them. */
  httpPort: z.number().int().min(1).max(65535),
  tlsPort: z.number().int().min(1).max(65535),
  /** A DNS server ("127.0.0.1:5353") that dns-01 asks for _acme-challenge TXT records; null: dns-01 not offered. */
  dnsServer: z.string().max(64).nullable(),
  ordersPerHour: z.number().int().min(1).max(100_000),
});
export type AcmeSettings = z.infer<typeof acmeSettings>;

export const acmeOrder = z.object({
  id: z.string(),
  account: z.string(),
  /** The client's User-Agent. */
  client: z.string(),
  identifiers: z.array(z.object({ type: z.enum(['dns', 'ip']), value: z.string() })),
  status: z.string(),
  createdAt: z.string(),
  error: z.string().nullable(),
  /** Each challenge tried: what was fetched from where, and why it failed. */
  challenges: z.array(
    z.object({
      identifier: z.string(),
      type: z.enum(['http-01', 'tls-alpn-01', 'dns-01']),
      status: z.string(),
      attempt: z.string().nullable(),
      error: z.string().nullable(),
    }),
  ),
});
export type AcmeOrder = z.infer<typeof acmeOrder>;

export const acmeState = z.object({
  running: z.boolean(),
  directoryUrl: z.string().nullable(),
  /** The CA certificate clients must trust (acme_ca_root, REQUESTS_CA_BUNDLE, LEGO_CA_CERTIFICATES). */
  caFile: z.string().nullable(),
  /** Why the last start failed (port in use, no CA key…); null when it did not. */
  lastError: z.string().nullable(),
  /** The directory of a server `lanyard acme serve` runs on this data in another process (the snippets are for it); null when none. */
  elsewhere: z.string().nullable(),
  settings: acmeSettings,
  orders: z.array(acmeOrder),
});
export type AcmeState = z.infer<typeof acmeState>;

export const certsAcmeMethods = {
  'certs.acmeState': {
    summary: 'The ACME server: running or not, its directory URL, settings, and the recent orders with their challenge results.',
    params: empty,
    result: acmeState,
  },
  'certs.acmeStart': {
    summary: 'Start the ACME server with these settings (saved; it then starts with the app until stopped).',
    params: acmeSettings.omit({ enabled: true }).partial().extend({ caPassphrase: passphrase }).strict(),
    result: acmeState,
  },
  'certs.acmeStop': {
    summary: 'Stop the ACME server (saved: it stays off).',
    params: empty,
    result: acmeState,
  },
  'certs.acmeRevoke': {
    summary: 'Revoke an ACME-issued certificate by its inventory id.',
    params: z.object({ id: z.number().int() }).strict(),
    result: acmeState,
  },
} as const;

/** certs's requests and event streams, joined into the contract by contract/index.ts (found by folder). */
export const contract = { methods: { ...certsMethods, ...certsAcmeMethods }, streams: certsStreams } as const;

declare module '../contract/registry.ts' {
  interface ToolContracts {
    certs: typeof contract;
  }
}
