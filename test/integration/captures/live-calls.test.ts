// Issue 13, the live feed through the host: one listener receiving TZSP and HEP at once; Calls (loaded by the
// host like any tool) sees both as calls, each message through the captures tool's transport tap.
import dgram from 'node:dgram';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallsList } from '../../../main/calls/contract.ts';
import { encodeHep3 } from '../../../main/captures/hep/hep-encode.ts';
import { buildTzsp } from '../../../main/captures/tzsp.ts';
import { startInProcess } from '../../../main/host/in-process.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { ethernet, ipv4, udp } from './frames.ts';
import { freePort } from './sip-lab.ts';

const dir = tempDir();
const socket = dgram.createSocket('udp4');
afterAll(() => socket.close());
const send = async (port: number, datagrams: Buffer[]) => {
  for (const d of datagrams) await new Promise<void>((r) => socket.send(d, port, '127.0.0.1', () => r()));
};

interface Message {
  up: boolean;
  text: string;
}

/** A call's SIP messages, `up` being caller → callee. */
function call(callId: string, steps: [up: boolean, firstLine: string, cseq: string][]): Message[] {
  return steps.map(([up, firstLine, cseq]) => ({
    up,
    text: `${firstLine}\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-${cseq.replace(' ', '-')}\r\nFrom: <sip:alice@a.example>;tag=a1\r\nTo: <sip:bob@b.example>${firstLine.startsWith('INVITE') ? '' : ';tag=b1'}\r\nCall-ID: ${callId}\r\nCSeq: ${cseq}\r\nContent-Length: 0\r\n\r\n`,
  }));
}

const caller = { ip: '10.0.0.1', port: 5060 };
const callee = { ip: '10.0.0.2', port: 5080 };
const ends = (up: boolean) => (up ? [caller, callee] : [callee, caller]) as [typeof caller, typeof caller];

describe('live calls from TZSP and HEP at once', () => {
  it('Calls lists a call carried by HEP and another by a TZSP sensor, each with its source', async () => {
    const { api, host } = startInProcess({ env: { ...process.env, LANYARD_HOME: dir } });
    await api.calls.list({}); // Calls is loaded (the host also warms every tool up): its tracker is on the tap
    const hepPort = await freePort();
    const started = await api.captures.start({ port: 0, bind: '127.0.0.1', hep: { port: hepPort, bind: '127.0.0.1' } });
    const answered = call('answered@hep', [
      [true, 'INVITE sip:bob@b.example SIP/2.0', '1 INVITE'],
      [false, 'SIP/2.0 180 Ringing', '1 INVITE'],
      [false, 'SIP/2.0 200 OK', '1 INVITE'],
      [true, 'ACK sip:bob@b.example SIP/2.0', '1 ACK'],
      [true, 'BYE sip:bob@b.example SIP/2.0', '2 BYE'],
      [false, 'SIP/2.0 200 OK', '2 BYE'],
    ]);
    const busy = call('busy@tzsp', [
      [true, 'INVITE sip:bob@b.example SIP/2.0', '1 INVITE'],
      [false, 'SIP/2.0 486 Busy Here', '1 INVITE'],
      [true, 'ACK sip:bob@b.example SIP/2.0', '1 ACK'],
    ]);
    const t0 = 1_700_000_000_000_000;
    await send(
      hepPort,
      answered.map((m, i) => {
        const [from, to] = ends(m.up);
        return encodeHep3({
          protocol: 17,
          src: from.ip,
          dst: to.ip,
          sport: from.port,
          dport: to.port,
          timestampUs: t0 + i * 100_000,
          payloadType: 1,
          captureId: 7,
          payload: Buffer.from(m.text),
        })!;
      }),
    );
    await send(
      started.port!,
      busy.map((m) => {
        const [from, to] = ends(m.up);
        return buildTzsp(ethernet(0x0800, ipv4(17, from.ip, to.ip, udp(from.port, to.port, Buffer.from(m.text)))), { encapsulation: 1 });
      }),
    );
    let list: CallsList | null = null;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      list = await api.calls.list({});
      const done = list?.calls.filter((c) => c.id === 'answered@hep' || c.id === 'busy@tzsp') ?? [];
      if (done.length === 2 && done.every((c) => c.messageCount === (c.id === 'busy@tzsp' ? 3 : 6))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const byId = new Map(list?.calls.map((c) => [c.id, c]));
    expect(byId.get('answered@hep')).toMatchObject({
      state: 'completed',
      code: 200,
      messageCount: 6,
      sources: ['hep 7@127.0.0.1'],
      hungUpBy: 'caller',
      startUs: t0,
    });
    expect(byId.get('busy@tzsp')).toMatchObject({ state: 'rejected', code: 486, messageCount: 3, sources: ['127.0.0.1'] });
    const status = await api.captures.stop({});
    expect(status.hep?.totals.messages).toBe(6);
    expect(status.totals.packets).toBe(3);
    expect(status.tap).toMatchObject({ packets: 9, skipped: 0, fragmentsIncomplete: 0, fragmentsDropped: 0, sctp: { packets: 0 } });
    host.close();
  });
});
