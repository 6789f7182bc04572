// Datagrams the kernel dropped because the socket's receive buffer was full (Linux: /proc/net/udp[6]).
import { readFileSync } from 'node:fs';

/** Sum the "drops" column for sockets bound to `port`; null where the kernel does not say. */
export function kernelUdpDrops(port: number): number | null {
  if (process.platform !== 'linux') return null;
  let total: number | null = null;
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      const drops = fields[fields.length - 1];
      if (!local || drops === undefined || fields.length < 13) continue;
      if (Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port) total = (total ?? 0) + Number(drops);
    }
  }
  return total;
}
