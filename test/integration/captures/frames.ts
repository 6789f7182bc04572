// Known frames for the captures tests: built byte by byte so every field is what the test says.
const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function ipv4(protocol: number, src: string, dst: string, payload: Buffer): Buffer {
  const h = Buffer.alloc(20);
  h[0] = 0x45;
  h.writeUInt16BE(20 + payload.length, 2);
  h[8] = 64;
  h[9] = protocol;
  Buffer.from(src.split('.').map(Number)).copy(h, 12);
  Buffer.from(dst.split('.').map(Number)).copy(h, 16);
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += h.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  h.writeUInt16BE(~sum & 0xffff, 10);
  return Buffer.concat([h, payload]);
}

function udp(srcPort: number, dstPort: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(srcPort, 0);
  h.writeUInt16BE(dstPort, 2);
  h.writeUInt16BE(8 + payload.length, 4);
  return Buffer.concat([h, payload]);
}

const macA = hex('02 00 00 00 00 0a');
const macB = hex('02 00 00 00 00 0b');

export function ethernet(type: number, payload: Buffer, dst = macB, src = macA): Buffer {
  const t = Buffer.alloc(2);
  t.writeUInt16BE(type);
  return Buffer.concat([dst, src, t, payload]);
}

export const arpRequest = ethernet(
  0x0806,
  hex('0001 0800 06 04 0001 02000000000a c0000201 000000000000 c0000202'),
  hex('ff ff ff ff ff ff'),
);

const dnsQuery = hex('1234 0100 0001 0000 0000 0000 07 6578616d706c65 03 636f6d 00 0001 0001');
export const ethernetDns = ethernet(0x0800, ipv4(17, '192.0.2.1', '192.0.2.53', udp(40000, 53, dnsQuery)));

const icmpEcho = hex('08 00 f7 fc 00 01 00 02 6c616e79617264');
export const rawIcmp = ipv4(1, '198.51.100.1', '198.51.100.2', icmpEcho);

/** radiotap (v0, 8 bytes, no fields) + an 802.11 probe request with an empty SSID. */
export const radiotapProbe = Buffer.concat([
  hex('00 00 08 00 00 00 00 00'),
  hex('4000 0000 ffffffffffff 02000000000c ffffffffffff 1000'),
  hex('00 00 01 04 02 04 0b 16'),
]);

export { ipv4, udp };
