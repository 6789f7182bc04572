// Calls against real peers: SIPp places answered (with RTP from uac_pcap), busy, cancelled and unanswered
// calls over loopback, dumpcap captures them, and tshark's -z sip,stat and -z rtp,streams judge the figures.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureReaders } from '../../../main/captures/tool.ts';
import { analyseFiles } from '../../../main/calls/analyse.ts';
import { forEachPacket } from '../../../main/calls/capture-packets.ts';
import { exportCall } from '../../../main/calls/export-call.ts';
import type { CallTracker } from '../../../main/calls/tracker.ts';
import { findPeer } from '../../support/peers.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { exited, sipp, sippFolder, startDumpcap } from './sipp.ts';
import { sipOnAnyPort, sipStat, tshark, tsharkBin } from './tshark-stat.ts';

const sippBin = findPeer('sipp', 'apt-get install sip-tester');
const dumpcapBin = findPeer('dumpcap', 'apt-get install wireshark-common');
const ready = sippBin && dumpcapBin && tsharkBin;

interface TsharkStream {
  src: string;
  sport: number;
  dst: string;
  dport: number;
  ssrc: number;
  packets: number;
  lost: number;
  maxDelta: number;
  meanJitter: number;
  maxJitter: number;
}

function rtpStreams(file: string): TsharkStream[] {
  const rows: TsharkStream[] = [];
  for (const line of tshark(file, 'rtp,streams').split('\n')) {
    const t = line.trim().split(/\s+/);
    if (t.length < 17 || !/^0x[0-9A-Fa-f]+$/.test(t[6] ?? '')) continue;
    rows.push({
      src: t[2]!,
      sport: Number(t[3]),
      dst: t[4]!,
      dport: Number(t[5]),
      ssrc: Number.parseInt(t[6]!, 16),
      packets: Number(t[8]),
      lost: Number(t[9]),
      maxDelta: Number(t[13]),
      meanJitter: Number(t[15]),
      maxJitter: Number(t[16]),
    });
  }
  return rows;
}

const streamKey = (s: { src: string; sport: number; dst: string; dport: number; ssrc: number }) =>
  `${s.src}:${s.sport}>${s.dst}:${s.dport}#${s.ssrc}`;

describe.skipIf(!ready)('calls from a SIPp capture, judged by tshark', () => {
  const dir = sippFolder(tempDir('lanyard-calls-'));
  const capture = path.join(dir, 'calls.pcapng');
  // Ports from the pid, so engineers and CI jobs sharing a loopback do not meet.
  const base = 21_000 + (process.pid % 380) * 100;
  const port = { uas: base, busy: base + 1, cancel: base + 2, noanswer: base + 3 };
  let tracker: CallTracker;

  beforeAll(async () => {
    const dumpcap = await startDumpcap(dumpcapBin!, capture, `udp portrange ${base}-${base + 99}`);
    // Media ports six apart: SIPp binds audio and video, each with its RTCP port, from -mp up.
    const uas = [
      sipp(sippBin!, dir, ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(port.uas), '-mp', String(base + 20), '-m', '2']),
      sipp(sippBin!, dir, ['-sf', 'uas-busy.xml', '-i', '127.0.0.1', '-p', String(port.busy), '-mp', String(base + 26), '-m', '1']),
      sipp(sippBin!, dir, ['-sf', 'uas-cancel.xml', '-i', '127.0.0.1', '-p', String(port.cancel), '-mp', String(base + 32), '-m', '1']),
      sipp(sippBin!, dir, ['-sf', 'uas-noanswer.xml', '-i', '127.0.0.1', '-p', String(port.noanswer), '-mp', String(base + 38), '-m', '1']),
    ];
    await new Promise((r) => setTimeout(r, 500));
    const uac = (args: string[], local: number, remote: number) =>
      sipp(sippBin!, dir, [
        ...args,
        '-i',
        '127.0.0.1',
        '-p',
        String(local),
        `127.0.0.1:${remote}`,
        '-m',
        args.includes('uac_pcap') ? '2' : '1',
      ]);
    const uacs = [
      uac(['-sn', 'uac_pcap', '-r', '2', '-mp', String(base + 60)], base + 10, port.uas),
      uac(['-sf', 'uac-busy.xml', '-mp', String(base + 70)], base + 11, port.busy),
      uac(['-sf', 'uac-cancel.xml', '-mp', String(base + 76)], base + 12, port.cancel),
      uac(['-sf', 'uac-noanswer.xml', '-mp', String(base + 82)], base + 13, port.noanswer),
    ];
    const codes = await Promise.all(uacs.map((c) => exited(c)));
    if (codes.some((c) => c !== 0))
      process.stderr.write(
        readdirSync(dir)
          .filter((f) => f.endsWith('errors.log'))
          .map((f) => readFileSync(path.join(dir, f), 'utf8'))
          .join('\n'),
      );
    expect(codes).toEqual([0, 0, 0, 0]);
    await Promise.all(uas.map((c) => exited(c, 10_000).catch(() => c.kill('SIGKILL'))));
    await new Promise((r) => setTimeout(r, 500));
    dumpcap.kill('SIGINT');
    await exited(dumpcap);
    // A short Timer B so the unanswered call times out within the capture.
    tracker = await analyseFiles([capture], { timeoutUs: 2_000_000 });
  }, 120_000);

  it('counts SIP messages, methods and codes exactly as tshark -z sip,stat', () => {
    const judge = sipStat(capture);
    const ours = tracker.sipFigures();
    expect(judge.messages).toBeGreaterThan(20);
    expect(ours.messages).toBe(judge.messages);
    expect(judge.resent).toBeGreaterThanOrEqual(1);
    expect(ours.resent).toBe(judge.resent);
    expect(ours.methods).toEqual(judge.methods);
    expect(ours.codes).toEqual(judge.codes);
    expect(tracker.counters().malformed).toBe(0);
  });

  it('gives every call its state, code, setup times and who hung up', () => {
    const calls = tracker.calls();
    const byState = (s: string) => calls.filter((c) => c.state === s);
    expect(calls).toHaveLength(5);
    const completed = byState('completed');
    expect(completed).toHaveLength(2);
    for (const c of completed) {
      expect(c.hungUpBy).toBe('caller');
      expect(c.ringMs).not.toBeNull();
      expect(c.answerMs).toBeGreaterThanOrEqual(c.ringMs!);
      expect(c.durationMs).toBeGreaterThan(5000);
      expect(c.codecs).toEqual(['PCMA']);
      expect(c.worstMos).toBeGreaterThan(4);
    }
    expect(byState('rejected').map((c) => c.code)).toEqual([486]);
    expect(byState('cancelled').map((c) => c.code)).toEqual([487]);
    const unanswered = byState('timed-out');
    expect(unanswered).toHaveLength(1);
    expect(unanswered[0]!.ringMs).not.toBeNull();
  });

  it('matches tshark -z rtp,streams per stream: packets, lost, max delta and mean jitter within 1%', () => {
    const judge = rtpStreams(capture);
    const ours = new Map(tracker.streams().map((s) => [streamKey(s), s]));
    expect(judge.length).toBeGreaterThanOrEqual(2);
    expect(ours.size).toBe(judge.length);
    for (const j of judge) {
      const s = ours.get(streamKey(j));
      expect(s, streamKey(j)).toBeDefined();
      expect(s!.packets).toBe(j.packets);
      expect(s!.lost).toBe(j.lost);
      expect(s!.maxDeltaMs).toBeCloseTo(j.maxDelta, 2);
      expect(Math.abs(s!.meanJitterMs - j.meanJitter)).toBeLessThanOrEqual(Math.max(0.0015, j.meanJitter * 0.01));
      expect(Math.abs(s!.maxJitterMs - j.maxJitter)).toBeLessThanOrEqual(Math.max(0.0015, j.maxJitter * 0.01));
      expect(s!.callId).not.toBeNull();
    }
  });

  it('shows RTP dropped from the capture as loss and a lower MOS, as tshark counts it', async () => {
    const readers = await captureReaders();
    const { sectionHeaderBlock, interfaceDescriptionBlock, enhancedPacketBlock } = readers.pcapng;
    const victim = tracker.streams().find((s) => s.codec === 'PCMA')!;
    const blocks = [sectionHeaderBlock('test'), interfaceDescriptionBlock(1, 'lo', 'loopback')];
    let n = 0;
    forEachPacket(readers, capture, (p, frame) => {
      const inVictim = p.src === victim.src && p.sport === victim.sport && p.dst === victim.dst && p.dport === victim.dport;
      if (inVictim && ++n % 10 === 5) return; // drop one packet in ten
      blocks.push(enhancedPacketBlock(0, frame.timestampNs, frame.data(), frame.originalLength, Buffer.alloc));
    });
    const lossy = path.join(dir, 'lossy.pcapng');
    writeFileSync(lossy, Buffer.concat(blocks));
    const after = await analyseFiles([lossy]);
    const hit = after.streams().find((s) => streamKey(s) === streamKey(victim))!;
    const judged = rtpStreams(lossy).find((j) => streamKey(j) === streamKey(victim))!;
    expect(hit.lost).toBeGreaterThan(10);
    expect(hit.lost).toBe(judged.lost);
    expect(hit.packets).toBe(judged.packets);
    expect(hit.mos!).toBeLessThan(victim.mos! - 0.5);
    const call = after.calls().find((c) => c.id === victim.callId)!;
    expect(call.worstMos).toBe(hit.mos);
    const series = after.call(victim.callId!)!.rtp.find((s) => s.id === hit.id)!.series;
    expect(series.reduce((sum, p) => sum + p.lost, 0)).toBe(hit.lost);
  });

  it('exports exactly one call: tshark finds only its SIP and its RTP in the file', async () => {
    const call = tracker.calls().find((c) => c.state === 'completed')!;
    const out = path.join(dir, 'one-call.pcapng');
    const r = await exportCall([capture], call.id, out);
    expect(r.sip).toBe(call.messageCount);
    const ids = spawnSync(tsharkBin!, ['-r', out, ...sipOnAnyPort, '-Y', 'sip', '-T', 'fields', '-e', 'sip.Call-ID'], { encoding: 'utf8' })
      .stdout.trim()
      .split('\n');
    expect(new Set(ids)).toEqual(new Set([call.id]));
    expect(ids).toHaveLength(call.messageCount);
    const streams = rtpStreams(out);
    expect(streams.map(streamKey).sort()).toEqual(tracker.call(call.id)!.rtp.map(streamKey).sort());
  });
});

describe.skipIf(!ready)('calls over TCP from SIPp, judged by tshark', () => {
  it('frames SIP over real TCP connections and counts as tshark does', async () => {
    const dir = sippFolder(tempDir('lanyard-calls-tcp-'));
    const capture = path.join(dir, 'tcp.pcapng');
    const base = 21_050 + (process.pid % 380) * 100;
    const dumpcap = await startDumpcap(dumpcapBin!, capture, `tcp portrange ${base}-${base + 1}`);
    const uas = sipp(sippBin!, dir, ['-sn', 'uas', '-t', 't1', '-i', '127.0.0.1', '-p', String(base), '-mp', String(base + 20), '-m', '3']);
    await new Promise((r) => setTimeout(r, 500));
    const uac = sipp(sippBin!, dir, [
      '-sn',
      'uac',
      '-t',
      't1',
      '-i',
      '127.0.0.1',
      '-p',
      String(base + 1),
      `127.0.0.1:${base}`,
      '-m',
      '3',
      '-r',
      '10',
      '-mp',
      String(base + 30),
    ]);
    expect(await exited(uac)).toBe(0);
    await exited(uas, 10_000).catch(() => uas.kill('SIGKILL'));
    await new Promise((r) => setTimeout(r, 500));
    dumpcap.kill('SIGINT');
    await exited(dumpcap);
    const t = await analyseFiles([capture]);
    const judge = sipStat(capture);
    const ours = t.sipFigures();
    expect(judge.messages).toBe(18); // INVITE, 180, 200, ACK, BYE, 200 for each of three calls
    expect(ours.messages).toBe(judge.messages);
    expect(ours.methods).toEqual(judge.methods);
    expect(ours.codes).toEqual(judge.codes);
    expect(t.calls().map((c) => c.state)).toEqual(['completed', 'completed', 'completed']);
    expect(t.call(t.calls()[0]!.id)!.messages.every((m) => m.transport === 'tcp')).toBe(true);
  }, 60_000);
});
