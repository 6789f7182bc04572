// `lanyard calls …` as a user runs it: the built CLI on a generated capture.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCallCapture } from '../../support/call-capture.ts';
import { cliBundle, nodeBin } from '../../support/paths.ts';
import { tempDir } from '../../support/temp-dir.ts';

const dir = tempDir('lanyard-calls-cli-');
const capture = path.join(dir, 'calls.pcapng');
const made = writeCallCapture(capture, { calls: 12, rtpPackets: 10 });

function lanyard(args: string[]) {
  return spawnSync(nodeBin, [cliBundle, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', LANYARD_HOME: path.join(dir, 'home') },
  });
}

describe.skipIf(!existsSync(cliBundle))('lanyard calls', () => {
  it('list: one line per call, and --json with the counters', () => {
    const text = lanyard(['calls', 'list', capture]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(
      /call\s+completed\s+sip:1000@lanyard.test → sip:5000@lanyard.test\s+bench-0@lanyard\s+setup 50 ms, 0.2 s, caller hung up, PCMU, MOS 4\.\d\d/,
    );
    expect(text.stdout).toMatch(/rejected 486 .* bench-9@lanyard/);
    const json = JSON.parse(lanyard(['calls', 'list', capture, '--json']).stdout);
    expect(json.calls).toHaveLength(12);
    expect(json.counters).toMatchObject({ sipMessages: made.sipMessages, rtpPackets: made.rtpPackets });
    const failed = JSON.parse(lanyard(['calls', 'list', capture, '--json', '--failed']).stdout);
    expect(failed.calls.map((c: { id: string }) => c.id)).toEqual(['bench-9@lanyard']);
  });

  it('flow: a ladder with one column per address and the streams', () => {
    const r = lanyard(['calls', 'flow', 'bench-1@lanyard', capture]);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.some((l) => l.includes('10.1.0.1:5060') && l.includes('10.2.0.1:5060'))).toBe(true);
    expect(lines.filter((l) => /\|-+INVITE \(SDP\)-+>\|/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /\|<-+200 OK \(SDP\)-+\|/.test(l))).toHaveLength(1);
    expect(r.stdout).toMatch(/10\.1\.0\.1:20002 → 10\.2\.0\.1:40002 .* PCMU: 10 packets, lost 0/);
    const missing = lanyard(['calls', 'flow', 'no-such-call', capture]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('lanyard calls list');
  });

  it('stats --json: SIP by method and code, RTP per stream', () => {
    const r = JSON.parse(lanyard(['calls', 'stats', capture, '--json']).stdout);
    expect(r.sip).toMatchObject({
      messages: made.sipMessages,
      methods: { INVITE: 12, ACK: 12, BYE: 11 },
      codes: { '100': 12, '180': 12, '200': 22, '486': 1 },
    });
    expect(r.rtp).toHaveLength(22);
  });

  it('export writes the call, and a usage mistake says what to type', () => {
    const out = path.join(dir, 'one.pcapng');
    const r = lanyard(['calls', 'export', 'bench-2@lanyard', out, capture]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('27 packets (7 SIP, 20 RTP/RTCP)');
    const usage = lanyard(['calls', 'list']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('name at least one pcap or pcapng file');
  });

  it('a file that is missing, a folder or not a capture: one line naming it, not a crash', () => {
    const text = path.join(dir, 'notes.txt');
    writeFileSync(text, 'not a capture\n');
    for (const [file, reason] of [
      [path.join(dir, 'missing.pcapng'), 'no such file'],
      [dir, 'a folder, not a capture file'],
      [text, 'the pcap header is truncated'],
    ] as const) {
      const r = lanyard(['calls', 'list', file]);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`${file}: ${reason}`);
      expect(r.stderr).toContain('Give pcap or pcapng files');
      expect(r.stderr).not.toContain('unexpected error');
    }
  });
});
