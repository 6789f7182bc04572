import { describe, expect, it } from 'vitest';
import type { LogChunk } from '../../../main/docker/contract.ts';
import { createDemuxer } from '../../../main/docker/streams.ts';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('log stream demultiplexing', () => {
  it('splits stdout and stderr frames however the transport cuts them, UTF-8 included', () => {
    const all = Buffer.concat([frame(1, 'hello '), frame(2, 'warn\n'), frame(1, 'wörld → ok\n')]);
    for (let size = 1; size <= all.length; size++) {
      const chunks: LogChunk[] = [];
      const feed = createDemuxer((c) => chunks.push(c));
      for (let i = 0; i < all.length; i += size) feed(all.subarray(i, i + size));
      expect(
        chunks
          .filter((c) => c.stream === 'stdout')
          .map((c) => c.text)
          .join(''),
      ).toBe('hello wörld → ok\n');
      expect(
        chunks
          .filter((c) => c.stream === 'stderr')
          .map((c) => c.text)
          .join(''),
      ).toBe('warn\n');
    }
  });
});
