import { describe, expect, it } from 'vitest';
import { summarize } from '../../../main/captures/packet-summary.ts';
import { arpRequest, ethernet, ethernetDns, ipv4, radiotapProbe, rawIcmp, udp } from '../../integration/captures/frames.ts';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('one-line packet summaries', () => {
  it('decodes ARP, DNS over UDP, ICMP in raw IP and 802.11 behind radiotap', () => {
    expect(summarize(1, arpRequest)).toEqual({
      src: '02:00:00:00:00:0a',
      dst: 'ff:ff:ff:ff:ff:ff',
      protocol: 'ARP',
      info: 'Who has 192.0.2.2? Tell 192.0.2.1',
    });
    expect(summarize(1, ethernetDns)).toEqual({
      src: '192.0.2.1',
      dst: '192.0.2.53',
      protocol: 'DNS',
      info: 'Standard query 0x1234 A example.com',
    });
    expect(summarize(101, rawIcmp)).toEqual({
      src: '198.51.100.1',
      dst: '198.51.100.2',
      protocol: 'ICMP',
      info: 'Echo request id=1 seq=2',
    });
    expect(summarize(127, radiotapProbe)).toMatchObject({ protocol: '802.11', info: 'Probe request', src: '02:00:00:00:00:0c' });
  });

  it('shows VLAN tags, TCP flags, SCTP chunks and SIP first lines', () => {
    const tcp = hex('c350 0050 00000001 00000000 5002 ffff 0000 0000');
    const vlanTcp = Buffer.concat([hex('02000000000b 02000000000a 8100 0064 0800'), ipv4(6, '10.0.0.1', '10.0.0.2', tcp)]);
    expect(summarize(1, vlanTcp)).toMatchObject({ protocol: 'TCP', info: '[VLAN 100] 50000 → 80 [SYN] seq=1 len=0' });
    const sctp = Buffer.concat([hex('0b59 0b59 00000000 00000000'), hex('01 00 0014'), Buffer.alloc(16)]);
    expect(summarize(101, ipv4(132, '10.0.0.1', '10.0.0.2', sctp))).toMatchObject({ protocol: 'SCTP', info: '2905 → 2905 INIT' });
    const invite = Buffer.from('INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1\r\n\r\n');
    expect(summarize(1, ethernet(0x0800, ipv4(17, '10.0.0.1', '10.0.0.2', udp(5060, 5060, invite))))).toMatchObject({
      protocol: 'SIP',
      info: 'INVITE sip:bob@example.com SIP/2.0',
    });
  });

  it('decodes IPv6 with ICMPv6 and compresses addresses', () => {
    const v6 = Buffer.concat([
      hex('60000000 0008 3a 40'),
      hex('fe800000000000000000000000000001'),
      hex('ff020000000000000000000000000001'),
      hex('80 00 0000 0007 0001'),
    ]);
    expect(summarize(101, v6)).toEqual({ src: 'fe80::1', dst: 'ff02::1', protocol: 'ICMPv6', info: 'Echo request id=7 seq=1' });
  });

  it('never throws on truncated frames', () => {
    for (const frame of [arpRequest, ethernetDns, rawIcmp, radiotapProbe]) {
      for (let n = 0; n < frame.length; n++) {
        for (const linktype of [1, 101, 105, 127, 6]) expect(() => summarize(linktype, frame.subarray(0, n))).not.toThrow();
      }
    }
  });
});
