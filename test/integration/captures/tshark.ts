// tshark as the judge: what it reads back from a capture file.
import { execFileSync } from 'node:child_process';
import { findPeer } from '../../support/peers.ts';

export const tshark = findPeer('tshark', 'apt-get install tshark');
export const capinfos = findPeer('capinfos', 'apt-get install wireshark-common');

export interface TsharkPacket {
  interfaceId: number;
  interfaceName: string;
  length: number;
  capturedLength: number;
  /** frame.time_epoch as printed, e.g. "1700000000.123456789". */
  epoch: string;
  protocols: string;
  raw: Buffer;
}

interface JsonPacket {
  _source: { layers: { frame_raw: [string]; frame: Record<string, string> & { 'frame.interface_id_tree'?: Record<string, string> } } };
}

export function tsharkRead(file: string): TsharkPacket[] {
  const out = execFileSync(tshark!, ['-r', file, '-T', 'json', '-x'], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const packets = JSON.parse(out) as JsonPacket[];
  return packets.map(({ _source: { layers } }) => ({
    interfaceId: Number(layers.frame['frame.interface_id']),
    interfaceName: layers.frame['frame.interface_id_tree']?.['frame.interface_name'] ?? '',
    length: Number(layers.frame['frame.len']),
    capturedLength: Number(layers.frame['frame.cap_len']),
    epoch: layers.frame['frame.time_epoch'] ?? '',
    protocols: layers.frame['frame.protocols'] ?? '',
    raw: Buffer.from(layers.frame_raw[0], 'hex'),
  }));
}

/** capinfos' interface list: one name per interface, in file order. */
export function capinfosInterfaces(file: string): { count: number; names: string[]; encapsulations: string[] } {
  const out = execFileSync(capinfos!, [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const count = Number(/Number of interfaces in file:\s*(\d+)/.exec(out)?.[1] ?? NaN);
  const names = [...out.matchAll(/^\s+Name = (.*)$/gm)].map((m) => m[1]!.trim());
  const encapsulations = [...out.matchAll(/^\s+Encapsulation = .*\((\d+) - /gm)].map((m) => m[1]!);
  return { count, names, encapsulations };
}
