// SIP over TCP from a live TZSP sensor, its segments reordered, repeated and one lost on the way: real UDP on
// loopback into the service host (receiver process, tap batches, Calls' tracker — the path the app runs), the
// recorded pcapng judged by tshark told to reassemble out-of-order segments. The lost segment cuts the client's
// last request: tshark never shows that message, and Calls gives the gap up on its live tick and shows the rest.
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SipMessage } from '../../../main/calls/contract.ts';
import { buildTzsp } from '../../../main/captures/tzsp.ts';
import { startInProcess } from '../../../main/host/in-process.ts';
import { findPeer } from '../../support/peers.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { request, response, sdp } from '../../unit/calls/sip-samples.ts';
import { conversation, type Segment, segmentFrame, shuffledWithin } from './tcp-segments.ts';

const tshark = findPeer('tshark', 'apt-get install tshark');
const dir = tempDir('lanyard-tcp-live-');

const ids = Array.from({ length: 6 }, (_, i) => `tcp-live-${i}@lanyard.test`);
const requests = ids.map((id, i) => request('INVITE', id, { body: sdp(6000 + i * 2) }));
const responses = ids.map((id) => response(200, 'OK', 'INVITE', id, { body: sdp(7000) }));

/** "Call-ID CSeq first-line" of every SIP message tshark finds, reassembling out-of-order TCP. */
function tsharkMessages(file: string): string[] {
  const out = execFileSync(
    tshark!,
    [
      ...['-r', file, '-o', 'tcp.reassemble_out_of_order:TRUE', '-Y', 'sip', '-T', 'fields'],
      ...[
        '-e',
        'sip.Call-ID',
        '-e',
        'sip.CSeq',
        '-e',
        'sip.Request-Line',
        '-e',
        'sip.Status-Line',
        '-E',
        'occurrence=a',
        '-E',
        'aggregator=|',
      ],
    ],
    { encoding: 'utf8' },
  );
  const messages: string[] = [];
  for (const line of out.split('\n').filter(Boolean)) {
    // A frame completing several messages lists each field's occurrences in order.
    const [callIds, cseqs, requestLines, statusLines] = line.split('\t').map((f) => (f ? f.split('|') : []));
    const firstLines = [...requestLines!, ...statusLines!];
    for (const [i, id] of callIds!.entries()) messages.push(`${id} ${cseqs![i]} ${firstLines[i]}`);
  }
  return messages.sort();
}

describe.skipIf(!tshark)('SIP over TCP from a live TZSP sensor, out of order (tshark judges)', () => {
  const hosts: { close(): void }[] = [];
  afterAll(() => {
    for (const h of hosts) h.close();
  });

  it('reordered, retransmitted and one lost segment: the messages tshark shows, the gap skipped on the live tick', {
    timeout: 60_000,
  }, async () => {
    const { api, host } = startInProcess({ env: { ...process.env, LANYARD_HOME: dir } });
    hosts.push(host);
    await api.calls.list({}); // Calls on the tap
    const file = path.join(dir, 'live.pcapng');
    const started = await api.captures.start({ port: 0, bind: '127.0.0.1', record: { path: file } });

    const inOrder = conversation(requests, responses, 100, { out: 0xffffff00, back: 0x10000 });
    const [synOut, synBack, ...rest] = inOrder;
    const data = rest.filter((s) => s.data.length > 0);
    const fins = rest.filter((s) => s.data.length === 0);
    // Lost: a segment in the middle of the client's last request (nothing of that direction follows but its tail
    // and FIN, so only the live tick's timeout can release them). Retransmitted: every fourth segment.
    const last = data.filter((s) => s.out).slice(-4);
    const lost = last[1]!;
    const retransmitted = data.filter((_, i) => i % 4 === 1 && data[i] !== lost);
    const sent: Segment[] = [synOut!, synBack!, ...shuffledWithin([...data.filter((s) => s !== lost), ...retransmitted], 5, 11), ...fins];

    const socket = dgram.createSocket('udp4');
    for (const s of sent)
      await new Promise<void>((r) => socket.send(buildTzsp(segmentFrame(s), { encapsulation: 1 }), started.port!, '127.0.0.1', () => r()));
    socket.close();

    // The gap waits for its timeout (2 s of capture time), given up on by the live tick without another packet.
    const deadline = Date.now() + 20_000;
    let list = await api.calls.list({});
    while ((list?.counters.tcpGapsSkipped ?? 0) < 1 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      list = await api.calls.list({});
    }
    const final = await api.captures.stop({});
    expect(final.totals.packets).toBe(sent.length);
    list = await api.calls.list({});
    const counters = list!.counters;
    expect(counters).toMatchObject({ tcpGapsSkipped: 1, tcpMissingBytes: lost.data.length, malformed: 0 });
    expect(counters.tcpOutOfOrder).toBeGreaterThan(0);
    expect(counters.tcpRepeatedBytes).toBe(retransmitted.reduce((n, s) => n + s.data.length, 0));
    expect(counters.streamBytesDropped).toBeGreaterThan(0); // the cut request's bytes after the gap

    const seen: string[] = [];
    for (const call of list!.calls) {
      const detail = await api.calls.detail({ id: call.id });
      for (const m of detail.messages as SipMessage[]) seen.push(`${call.id} ${m.cseq} ${m.firstLine}`);
    }
    const judge = tsharkMessages(file);
    expect(judge).toHaveLength(requests.length * 2 - 1); // every message but the cut request
    expect(judge.filter((m) => m.startsWith(`${ids.at(-1)} `)).map((m) => m.split(' ')[3])).toEqual(['SIP/2.0']); // its answer alone
    expect(seen.sort()).toEqual(judge);
    expect(counters.sipMessages).toBe(judge.length);
  });
});
