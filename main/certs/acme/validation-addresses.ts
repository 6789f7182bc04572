// Where a challenge is checked (RFC 8555 §8.3: the address the name resolves to): an IP identifier's own address,
// 127.0.0.1 with the resolve-local switch, or what the name resolves to here through the system resolver
// (/etc/hosts, DNS) — kept to this machine's own addresses, so an account cannot make the server probe other hosts,
// and a name that points elsewhere or nowhere gets an answer that says what to change.
import { lookup } from 'node:dns/promises';
import { ipBytes, ipDisplay } from '../names.ts';
import { localAddresses } from './policy.ts';
import type { Identifier } from './store.ts';

/** Every address a name resolves to, in the resolver's order. */
export type Resolve = (name: string) => Promise<string[]>;

export type Where = { addresses: string[] } | { problem: string };

const systemResolve: Resolve = async (name) => (await lookup(name, { all: true })).map((a) => a.address);

const hint = 'turn on "resolve to 127.0.0.1" (lanyard acme serve --resolve-local) or map the name to this machine in /etc/hosts';

/** Loopback is this machine whatever the interface list says: 127.0.0.0/8, ::1, and 127/8 mapped into IPv6. */
export function isLoopback(bytes: Uint8Array): boolean {
  if (bytes.length === 4) return bytes[0] === 127;
  const zeros = (end: number) => bytes.subarray(0, end).every((b) => b === 0);
  if (zeros(10) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes[12] === 127;
  return zeros(15) && bytes[15] === 1;
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

export async function validationAddresses(
  identifier: Identifier,
  resolveLocal: boolean,
  options: { resolve?: Resolve; locals?: () => Set<string>; timeoutMs?: number } = {},
): Promise<Where> {
  if (identifier.type === 'ip') return { addresses: [identifier.value] };
  if (resolveLocal) return { addresses: ['127.0.0.1'] };
  const name = identifier.value;
  let found: string[];
  try {
    found = await withDeadline((options.resolve ?? systemResolve)(name), options.timeoutMs ?? 5000);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { problem: `${name} does not resolve here (${reason}); ${hint}` };
  }
  const locals = (options.locals ?? localAddresses)();
  const here = found.filter((address) => {
    const bytes = ipBytes(address);
    return bytes !== null && (isLoopback(bytes) || locals.has(ipDisplay(bytes)));
  });
  if (here.length === 0)
    return {
      problem: `${name} resolves to ${found.join(', ') || 'no address'}, not to this machine; this server validates only names that point here: ${hint}`,
    };
  return { addresses: [...new Set(here)] };
}
