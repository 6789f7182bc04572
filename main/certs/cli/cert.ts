// `lanyard cert …`: mkcert's command line (single- or double-dash flags, same file names), plus the inventory,
// renewal, name-constrained roots and the trust-store report.
//
// It calls the certificates service directly, not through the host: issuing is the command people time against
// mkcert, and the host would load zod and the whole contract to check arguments this file has already parsed
// into their types. The service checks what matters itself (names, days, paths, the CA).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { InventoryEntry, IssueResult, StoreId } from '../contract.ts';
import { pendingKeyPair } from '../keys.ts';
import type { CertsService } from '../service.ts';
import { timeLeft } from '../../display/time-left.ts';
import { resolveDataDir } from '../../system/data-dir.ts';
import { bold, dim, green, red, yellow } from '../../system/terminal-style.ts';
import { appVersion } from '../../system/app-version.ts';
import { parseOptions, UsageError, type CommandModule } from '../../system/command-line.ts';

/** mkcert's flags, as Go's flag package accepts them (one dash); rewritten to the two-dash form parseArgs knows. */
const mkcertFlags = [
  'install',
  'uninstall',
  'CAROOT',
  'cert-file',
  'key-file',
  'p12-file',
  'client',
  'ecdsa',
  'pkcs12',
  'csr',
  'help',
  'version',
];
const subcommands = ['list', 'renew', 'remove', 'status', 'adopt', 'env', 'trust'];

export function normaliseArgs(args: readonly string[]): string[] {
  return args.map((arg) => {
    const match = /^-([A-Za-z][\w-]*)(=.*)?$/.exec(arg);
    return match && mkcertFlags.includes(match[1]!) ? `-${arg}` : arg;
  });
}

const flags = {
  install: { type: 'boolean' },
  uninstall: { type: 'boolean' },
  CAROOT: { type: 'boolean' },
  'cert-file': { type: 'string' },
  'key-file': { type: 'string' },
  'p12-file': { type: 'string' },
  'p12-password': { type: 'string' },
  client: { type: 'boolean' },
  ecdsa: { type: 'boolean' },
  rsa: { type: 'boolean' },
  pkcs12: { type: 'boolean' },
  csr: { type: 'string' },
  days: { type: 'string' },
  json: { type: 'boolean' },
  'create-ca': { type: 'boolean' },
  constrain: { type: 'boolean' },
  permit: { type: 'string', multiple: true },
  'ca-passphrase-file': { type: 'string' },
  store: { type: 'string', multiple: true },
  scope: { type: 'string' },
  expiring: { type: 'string' },
  'delete-files': { type: 'boolean' },
  'delete-ca': { type: 'boolean' },
  // cert trust: the CA in a running container, or the Dockerfile lines for an image
  container: { type: 'string' },
  yes: { type: 'boolean' },
  dockerfile: { type: 'boolean' },
} as const;

function wholeNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} must be a whole number, not "${value}"`);
  return n;
}

function passphrase(file: string | undefined): string | undefined {
  if (file) return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  return process.env.LANYARD_CA_PASSPHRASE || undefined;
}

const out = (text: string) => process.stdout.write(text);
const json = (value: unknown) => out(`${JSON.stringify(value, null, 2)}\n`);
const here = (file: string) => {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : `./${rel}`;
};
const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** "28 November 2026", written by hand: toLocaleDateString would load ICU's locale data, ~30 ms of a run. */
const day = (iso: string) => {
  const date = new Date(iso);
  return `${date.getUTCDate()} ${months[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
};

function printIssued(result: IssueResult): void {
  const e = result.entry;
  if (result.createdCa) out(`Created a new local CA 💥\n`);
  out(`\nCreated a new certificate valid for the following names 📜\n${e.names.map((n) => ` - ${JSON.stringify(n.value)}\n`).join('')}`);
  for (const warning of result.warnings) out(`${yellow('Warning:')} ${warning}\n`);
  if (e.p12File)
    out(
      `\nThe PKCS#12 bundle is at "${here(e.p12File)}" ✅\n\nThe legacy PKCS#12 encryption password is the often hardcoded default "${result.p12Password}" ℹ️\n`,
    );
  else if (e.keyFile && e.keyFile === e.certFile) out(`\nThe certificate and key are at "${here(e.certFile)}" ✅\n`);
  else if (e.keyFile) out(`\nThe certificate is at "${here(e.certFile!)}" and the key at "${here(e.keyFile)}" ✅\n`);
  else out(`\nThe certificate is at "${here(e.certFile!)}" ✅\n`);
  out(`\nIt will expire on ${day(e.notAfter)} 🗓\n${dim(`(inventory id ${e.id}; renew with \`lanyard cert renew ${e.id}\`)`)}\n\n`);
}

export function formatList(entries: readonly InventoryEntry[]): string {
  if (entries.length === 0) return 'No certificates issued yet. Issue one with `lanyard cert localhost`.\n';
  const rows = entries.map((e) => {
    const left = timeLeft(e.notAfter, e.revokedAt);
    const colour = { error: red, warn: yellow, ok: green }[left.tone];
    // An ACME certificate's files are the client's: the list names the client instead.
    const where = e.acme ? `ACME · ${e.acme.client.split(' ')[0]}` : here(e.certFile ?? e.p12File ?? '');
    return `${String(e.id).padStart(4)}  ${colour(left.text.padEnd(14))}  ${e.keyType.padEnd(5)}  ${e.names.map((n) => n.value).join(' ')}  ${dim(where)}${e.fromCurrentCa ? '' : dim(' (other CA)')}`;
  });
  return `${bold('  id  left            key    names  file')}\n${rows.join('\n')}\n`;
}

async function trust(
  certs: CertsService,
  action: 'install' | 'uninstall',
  stores: StoreId[] | undefined,
  scope: 'system' | 'user',
): Promise<boolean> {
  let ok = true;
  await certs.trust(action, scope, stores, (event) => {
    if (event.type === 'command') out(`${dim('$')} ${event.command}\n`);
    else if (event.type === 'result' && !event.ok) out(`${red('✗')} ${event.output || 'failed'}\n`);
    else if (event.type === 'store')
      out(`${event.ok ? green('✓') : event.status.available ? red('✗') : dim('-')} ${event.status.label}: ${event.detail}\n`);
    else if (event.type === 'done') {
      if (event.manual.length > 0)
        out(
          `\n${bold('Run these yourself')} (they need privileges Lanyard does not have here):\n${event.manual.map((c) => `  ${c}\n`).join('')}`,
        );
      ok = event.ok;
    }
  });
  return ok;
}

/** --store values, checked against the contract's list (zod loads only when the flag is given). */
async function storeIds(values: string[] | undefined): Promise<StoreId[] | undefined> {
  if (!values) return undefined;
  const { storeId } = await import('../contract.ts');
  const unknown = values.filter((v) => !storeId.safeParse(v).success);
  if (unknown.length > 0)
    throw new UsageError(`--store is one of ${storeId.options.join(' ')}, not ${unknown.map((u) => `"${u}"`).join(', ')}`);
  return values as StoreId[];
}

async function runSubcommand(certs: CertsService, name: string, values: Record<string, unknown>, positionals: string[]): Promise<number> {
  const caPassphrase = passphrase(values['ca-passphrase-file'] as string | undefined);
  if (name === 'list') {
    const entries = certs.list(wholeNumber(values.expiring as string | undefined, '--expiring'));
    if (values.json) json(entries);
    else out(formatList(entries));
    return 0;
  }
  if (name === 'renew') {
    const id = wholeNumber(positionals[0], 'ID');
    const expiring = wholeNumber(values.expiring as string | undefined, '--expiring');
    if ((id === undefined) === (expiring === undefined)) throw new UsageError('renew takes an inventory ID or --expiring DAYS');
    const result = await certs.renew({
      id,
      expiringWithinDays: expiring,
      p12Password: values['p12-password'] as string | undefined,
      caPassphrase,
    });
    if (values.json) return (json(result), 0);
    for (const warning of result.warnings) out(`${yellow('Warning:')} ${warning}\n`);
    if (result.renewed.length === 0) out('Nothing to renew.\n');
    for (const e of result.renewed)
      out(
        `${green('✓')} renewed ${e.id} (${e.names.map((n) => n.value).join(' ')}) → ${here(e.certFile ?? e.p12File!)}, expires ${day(e.notAfter)}\n`,
      );
    return 0;
  }
  if (name === 'remove') {
    const id = wholeNumber(positionals[0], 'ID');
    if (id === undefined) throw new UsageError('remove takes an inventory ID');
    const result = certs.remove(id, values['delete-files'] === true);
    out(`Removed ${id} from the inventory${result.deletedFiles.length ? ` and deleted ${result.deletedFiles.join(', ')}` : ''}.\n`);
    return 0;
  }
  if (name === 'adopt') {
    const state = certs.adoptCa(positionals[0] ? path.resolve(positionals[0]) : undefined);
    out(`Lanyard now uses the CA in ${state.dir} (${state.ca?.subject}).\n`);
    return 0;
  }
  if (name === 'env') {
    const state = certs.state();
    if (!state.ca) throw new UsageError('there is no CA yet: create one with `lanyard cert --create-ca`');
    out(`${state.envLines.join('\n')}\n`);
    return 0;
  }
  if (name === 'trust') {
    const state = certs.state();
    if (!state.ca) throw new UsageError('there is no CA yet: create one with `lanyard cert --create-ca`');
    const { runContainerTrust } = await import('./cert-trust-container.ts');
    return runContainerTrust({
      container: values.container as string | undefined,
      yes: values.yes === true,
      dockerfile: values.dockerfile === true,
      rootFile: state.ca.certFile,
    });
  }
  // status
  const scope = values.scope === 'user' ? 'user' : 'system';
  const [state, stores] = [certs.state(), await certs.trustStatus(scope)];
  if (values.json) return (json({ ...state, stores }), 0);
  out(`${bold('CA')} ${state.dir} ${dim(`(${state.source})`)}\n`);
  if (!state.ca) out('  none yet — `lanyard cert --create-ca` or issue a certificate\n');
  else {
    const ca = state.ca;
    out(
      `  ${ca.subject}\n  ${ca.keyType.toUpperCase()}, expires ${day(ca.notAfter)}${ca.encrypted ? ', key passphrase-protected' : ''}\n  SHA-256 ${ca.fingerprint}\n`,
    );
    out(`  ${ca.permits ? `constrained to: ${ca.permits.join(', ')}` : 'unconstrained (may sign any name)'}\n`);
  }
  out(`\n${bold('Trust stores')}\n`);
  for (const s of stores) out(`  ${s.installed ? green('✓') : s.available ? red('✗') : dim('-')} ${s.label}: ${s.detail}\n`);
  return 0;
}

export const run: CommandModule['run'] = async (rawArgs, context) => {
  const args = normaliseArgs(rawArgs);
  // mkcert's -help and -version (the two-dash forms are handled before any command runs).
  if (args.includes('--help')) return (out(await context.helpText('cert')), 0);
  if (args.includes('--version')) return (out(`lanyard ${appVersion}\n`), 0);
  const sub = args[0] && subcommands.includes(args[0]) ? args[0] : null;
  const { values, positionals } = parseOptions(sub ? args.slice(1) : args[0] === '--' ? args.slice(1) : args, flags);
  const keyType = values.rsa ? 'rsa' : 'ecdsa';
  const issuing = !sub && !values.CAROOT && !values.csr && !values.uninstall && positionals.length > 0 && !(values.rsa && values.ecdsa);
  // The leaf's key pair is made on libuv's threads while the service, the inventory and the CA load (RSA-2048: ~80 ms).
  const pendingKey = issuing ? pendingKeyPair(keyType, 'leaf') : undefined;
  const { CertsService } = await import('../service.ts');
  const certs = new CertsService({ dataDir: resolveDataDir(process.env).path, env: process.env });
  if (sub) return runSubcommand(certs, sub, values, positionals);

  if (values.CAROOT) {
    out(`${certs.root().dir}\n`);
    return 0;
  }
  if (values.rsa && values.ecdsa) throw new UsageError('choose one of --rsa and --ecdsa');
  if (values.permit && !values.constrain) throw new UsageError('--permit needs --constrain');
  if (values['delete-ca'] && !values.uninstall)
    throw new UsageError('--delete-ca goes with -uninstall (the root leaves every store before its key is deleted)');
  const caPassphrase = passphrase(values['ca-passphrase-file']);
  const scope = values.scope === 'user' ? 'user' : 'system';
  if (values.scope && values.scope !== 'user' && values.scope !== 'system') throw new UsageError('--scope is system or user');
  const stores = await storeIds(values.store);
  let ok = true;

  if (values['create-ca'] || values.constrain) {
    const state = await certs.createCa({ keyType, permits: values.permit, passphrase: caPassphrase });
    out(`Created a new local CA at ${state.dir} 💥\n`);
    if (state.ca?.permits) out(`It may only sign names under: ${state.ca.permits.join(', ')}\n`);
  }
  if (values.uninstall) {
    ok = (await trust(certs, 'uninstall', stores, scope)) && ok;
    if (ok) out('The local CA is now uninstalled from the trust stores! 👋\n');
    if (ok && values['delete-ca']) {
      const { deletedFiles } = await certs.deleteCa();
      out(`Deleted ${deletedFiles.join(' and ')}.\n`);
    }
    return ok ? 0 : 1;
  }
  if (values.install) {
    const state = certs.state();
    if (!state.ca) {
      await certs.createCa({ keyType: 'ecdsa' });
      out(`Created a new local CA at ${state.dir} 💥\n`);
    }
    ok = await trust(certs, 'install', stores, scope);
    out(ok ? 'The local CA is now installed in the trust stores ⚡️\n' : `${red('Some stores were not updated')} (see above).\n`);
    const lines = certs.state().envLines;
    out(`\nFor Node, Python requests and OpenSSL tools, which ignore the system store:\n${lines.map((l) => `  ${l}\n`).join('')}\n`);
  }

  const days = wholeNumber(values.days, '--days');
  const common = { dir: process.cwd(), days, caPassphrase };
  if (values.csr) {
    if (positionals.length > 0) throw new UsageError('--csr takes no names: they come from the request');
    const result = await certs.signCsr({ ...common, csrFile: values.csr, certFile: values['cert-file'] || undefined });
    if (values.json) json(result);
    else printIssued(result);
    return ok ? 0 : 1;
  }
  if (positionals.length === 0) {
    if (values.install || values['create-ca'] || values.constrain) return ok ? 0 : 1;
    throw new UsageError('give the names to issue a certificate for, e.g. `lanyard cert localhost 127.0.0.1 ::1`');
  }
  const result = await certs.issue({
    ...common,
    names: positionals,
    keyType,
    client: values.client === true,
    pkcs12: values.pkcs12 === true || values['p12-file'] !== undefined,
    certFile: values['cert-file'] || undefined,
    keyFile: values['key-file'] || undefined,
    p12File: values['p12-file'] || undefined,
    p12Password: values['p12-password'],
    pendingKey,
  });
  if (values.json) json(result);
  else printIssued(result);
  return ok ? 0 : 1;
};
