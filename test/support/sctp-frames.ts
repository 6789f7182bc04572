// SCTP packets for the SIP-over-SCTP tests, built byte by byte: the common header, then chunks each padded to
// 4 bytes (the checksum left zero: Wireshark checks none by default, Lanyard does not read it).

export const flags = { end: 1, begin: 2, whole: 3, unordered: 4 } as const;

export function dataChunk(tsn: number, chunkFlags: number, data: Buffer, stream = 0, ppid = 0): Buffer {
  const h = Buffer.alloc(16);
  h[0] = 0; // DATA
  h[1] = chunkFlags;
  h.writeUInt16BE(16 + data.length, 2);
  h.writeUInt32BE(tsn >>> 0, 4);
  h.writeUInt16BE(stream, 8);
  h.writeUInt16BE(0, 10); // stream sequence number
  h.writeUInt32BE(ppid, 12);
  return Buffer.concat([h, data]);
}

/** A SACK (type 3) acknowledging up to `tsn`, no gaps: a chunk that carries no data, to be walked past. */
export function sackChunk(tsn: number): Buffer {
  const c = Buffer.alloc(16);
  c[0] = 3;
  c.writeUInt16BE(16, 2);
  c.writeUInt32BE(tsn >>> 0, 4);
  c.writeUInt32BE(65536, 8);
  return c;
}

export function sctpPacket(sport: number, dport: number, chunks: Buffer[]): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(sport, 0);
  h.writeUInt16BE(dport, 2);
  h.writeUInt32BE(0x1234abcd, 4); // verification tag
  return Buffer.concat([h, ...chunks.map((c) => Buffer.concat([c, Buffer.alloc(-c.length & 3)]))]);
}
