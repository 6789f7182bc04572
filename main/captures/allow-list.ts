// The optional sender allow-list: addresses and CIDR prefixes, IPv4 and IPv6.
import net from 'node:net';

export type AllowCheck = (address: string) => boolean;

/** The entries as typed: the option repeated, each a comma-separated list (`--allow a,b --allow c`). */
export function splitAllow(values: string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Parse entries like "192.0.2.7", "10.0.0.0/8", "2001:db8::/32"; throws a sentence naming the bad entry. */
export function parseAllowList(entries: readonly string[]): AllowCheck | null {
  if (entries.length === 0) return null;
  const list = new net.BlockList();
  for (const raw of entries) {
    const entry = raw.trim();
    const [address = '', prefix] = entry.split('/');
    const family = net.isIPv4(address) ? 'ipv4' : net.isIPv6(address) ? 'ipv6' : null;
    if (!family) throw new Error(`"${entry}" is not an IP address or CIDR prefix`);
    if (prefix === undefined) {
      list.addAddress(address, family);
      continue;
    }
    const bits = Number(prefix);
    if (!Number.isInteger(bits) || bits < 0 || bits > (family === 'ipv4' ? 32 : 128)) throw new Error(`"${entry}" has a bad prefix length`);
    list.addSubnet(address, bits, family);
  }
  return (address) => {
    const plain = unmapped(address);
    return list.check(plain, net.isIPv4(plain) ? 'ipv4' : 'ipv6');
  };
}

/** "::ffff:192.0.2.7" (an IPv4 sender on a dual-stack socket) → "192.0.2.7". */
export function unmapped(address: string): string {
  return address.startsWith('::ffff:') && net.isIPv4(address.slice(7)) ? address.slice(7) : address;
}
