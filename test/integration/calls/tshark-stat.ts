// tshark as the judge of SIP figures: `-z sip,stat` read into messages, resent, status codes and methods.
import { spawnSync } from 'node:child_process';
import { findPeer } from '../../support/peers.ts';

export const tsharkBin = findPeer('tshark', 'apt-get install tshark');

export interface SipStat {
  messages: number;
  resent: number;
  codes: Record<string, number>;
  methods: Record<string, number>;
}

/**
 * The tests' ports come from their pid: one that Wireshark gives another protocol (UDP 47000 is HCrt, TCP 30050
 * MRCPv2) would hide that leg's SIP, and with it the SDP that makes its RTP streams. SIP's heuristic first, so
 * tshark reads SIP on any port.
 */
export const sipOnAnyPort = ['-o', 'udp.try_heuristic_first:TRUE', '-o', 'tcp.try_heuristic_first:TRUE'];

export function tshark(file: string, stat: string, options: string[] = []): string {
  const r = spawnSync(tsharkBin!, ['-r', file, ...sipOnAnyPort, ...options, '-q', '-z', stat], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tshark failed: ${r.stderr}`);
  return r.stdout;
}

export function sipStat(file: string, options: string[] = []): SipStat {
  const out: SipStat = { messages: 0, resent: 0, codes: {}, methods: {} };
  let section = '';
  for (const line of tshark(file, 'sip,stat', options).split('\n')) {
    const total = /^Number of SIP messages: (\d+)/.exec(line);
    if (total) out.messages = Number(total[1]);
    const resent = /^Number of resent SIP messages: (\d+)/.exec(line);
    if (resent) out.resent = Number(resent[1]);
    if (line.includes('Status Codes')) section = 'codes';
    if (line.includes('Request methods')) section = 'methods';
    const code = /^\s+SIP (\d{3}) .*:\s+(\d+) Packets/.exec(line);
    if (code && section === 'codes') out.codes[code[1]!] = Number(code[2]);
    const method = /^\s+([A-Z]+)\s+:\s+(\d+) Packets/.exec(line);
    if (method && section === 'methods') out.methods[method[1]!] = Number(method[2]);
  }
  return out;
}
