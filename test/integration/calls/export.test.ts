// `calls export` on a call whose INVITE came in two IP fragments (a big SDP over UDP does): both fragments'
// frames are written, and the other call in the file is not.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../../main/captures/capture-file.ts';
import { enhancedPacketBlock, interfaceDescriptionBlock, sectionHeaderBlock } from '../../../main/captures/pcapng-blocks.ts';
import { analyseFiles } from '../../../main/calls/analyse.ts';
import { exportCall } from '../../../main/calls/export-call.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { request, response, sdp } from '../../unit/calls/sip-samples.ts';
import { ethernet, ipv4, udp } from '../captures/frames.ts';

const dir = tempDir('lanyard-calls-export-');

/** An IPv4 packet cut into two fragments at `at` (a multiple of 8) of its payload. */
function fragments(packet: Buffer, at: number, id: number): [Buffer, Buffer] {
  const payload = packet.subarray(20);
  const head = (offset: number, more: boolean, part: Buffer) => {
    const h = Buffer.from(packet.subarray(0, 20));
    h.writeUInt16BE(20 + part.length, 2);
    h.writeUInt16BE(id, 4);
    h.writeUInt16BE((more ? 0x2000 : 0) | (offset / 8), 6);
    return Buffer.concat([h, part]);
  };
  return [head(0, true, payload.subarray(0, at)), head(at, false, payload.subarray(at))];
}

describe('calls export', () => {
  it('writes every IP fragment of a call datagram and nothing of the other calls', async () => {
    const big = request('INVITE', 'frag-1', { body: sdp(4000, 'a=x-filler:'.concat('y'.repeat(1600), '\r\n')) });
    const invite = ipv4(17, '10.0.0.1', '10.0.0.2', udp(5060, 5060, Buffer.from(big, 'latin1')));
    const [first, second] = fragments(invite, 1480, 77);
    const other = ipv4(
      17,
      '10.0.0.1',
      '10.0.0.2',
      udp(5060, 5060, Buffer.from(request('INVITE', 'other-1', { body: sdp(4100) }), 'latin1')),
    );
    const ringing = ipv4(17, '10.0.0.2', '10.0.0.1', udp(5060, 5060, Buffer.from(response(180, 'Ringing', 'INVITE', 'frag-1'), 'latin1')));
    const frames = [first, other, second, ringing];
    const file = path.join(dir, 'in.pcapng');
    writeFileSync(
      file,
      Buffer.concat([
        sectionHeaderBlock('test'),
        interfaceDescriptionBlock(1, 'eth0', 'test'),
        ...frames.map((f, i) => enhancedPacketBlock(0, BigInt(1_700_000_000 + i) * 1_000_000_000n, ethernet(0x0800, f))),
      ]),
    );
    const tracker = await analyseFiles([file]);
    expect(tracker.call('frag-1')).toMatchObject({ state: 'ringing', messageCount: 2 });
    expect(tracker.call('frag-1')!.messages[0]!.hasSdp).toBe(true);
    const out = path.join(dir, 'out.pcapng');
    expect(await exportCall([file], 'frag-1', out)).toEqual({ callId: 'frag-1', packets: 3, sip: 2, media: 0 });
    const written = [...readCaptureFile(out)].map((p) => p.data.subarray(14).toString('hex'));
    expect(written).toEqual([first, second, ringing].map((f) => f.toString('hex')));
  });
});
