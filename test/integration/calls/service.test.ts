// The Calls service through the in-process host, as the app reaches it: open a capture, list, detail with
// messages and per-second series, "nothing changed" polling, export, clear, and errors that say what to do.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startInProcess } from '../../../main/host/in-process.ts';
import { writeCallCapture } from '../../support/call-capture.ts';
import { findPeer } from '../../support/peers.ts';
import { tempDir } from '../../support/temp-dir.ts';

const tshark = findPeer('tshark', 'apt-get install tshark');
const dir = tempDir('lanyard-calls-service-');

describe('calls service', () => {
  it('opens a capture, lists calls, gives a call with its ladder data and streams, and exports it', async () => {
    const capture = path.join(dir, 'calls.pcapng');
    const made = writeCallCapture(capture, { calls: 20, rtpPackets: 60 });
    const { api, host } = startInProcess({ env: { ...process.env, LANYARD_HOME: path.join(dir, 'home') } });
    const opened = await api.calls.open({ files: [capture] });
    expect(opened).toMatchObject({
      files: [capture],
      calls: 20,
      counters: { sipMessages: made.sipMessages, rtpPackets: made.rtpPackets, malformed: 0 },
    });
    const list = (await api.calls.list({}))!;
    expect(list.calls).toHaveLength(20);
    expect(list.calls.filter((c) => c.state === 'rejected').map((c) => c.code)).toEqual([486, 486]);
    expect(await api.calls.list({ since: list.version })).toBeNull();
    const detail = await api.calls.detail({ id: 'bench-0@lanyard' });
    expect(detail.messages.map((m) => m.method ?? m.code)).toEqual(['INVITE', 100, 180, 200, 'ACK', 'BYE', 200]);
    expect(detail.messages[0]!.text).toContain('m=audio 20000 RTP/AVP 0');
    expect(detail.rtp).toHaveLength(2);
    expect(detail.rtp[0]!.series.reduce((n, p) => n + p.packets, 0)).toBe(60);
    expect(detail.rtp[0]!.series.length).toBeGreaterThanOrEqual(2);
    const out = path.join(dir, 'one.pcapng');
    expect(await api.calls.export({ id: 'bench-0@lanyard', output: out })).toEqual({
      callId: 'bench-0@lanyard',
      packets: 7 + 120,
      sip: 7,
      media: 120,
    });
    if (tshark) {
      const ids = spawnSync(tshark, ['-r', out, '-Y', 'sip', '-T', 'fields', '-e', 'sip.Call-ID'], { encoding: 'utf8' })
        .stdout.trim()
        .split('\n');
      expect(new Set(ids)).toEqual(new Set(['bench-0@lanyard']));
    }
    await expect(api.calls.detail({ id: 'nope' })).rejects.toMatchObject({ code: 'not-found' });
    expect(await api.calls.clear({})).toMatchObject({ files: [], calls: 0 });
    await expect(api.calls.export({ id: 'bench-0@lanyard', output: out })).rejects.toMatchObject({ code: 'unavailable' });
    await expect(api.calls.open({ files: [path.join(dir, 'missing.pcap')] })).rejects.toMatchObject({ code: 'failed' });
    host.close();
  });
});
