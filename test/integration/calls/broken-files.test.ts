// Capture files that break midway, through `lanyard calls list|stats` as a user runs them (the built CLI): the calls
// read up to the break, and one line on stderr (and `warnings` in --json) saying where and why, beside what tshark
// says of the same file; nothing readable before the break, or no capture at all, is an error with exit status 1.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../../main/captures/capture-file.ts';
import type { FileWarning } from '../../../main/calls/contract.ts';
import { writeCallCapture } from '../../support/call-capture.ts';
import { cliBundle, nodeBin } from '../../support/paths.ts';
import { pcapFile } from '../../support/pcap-file.ts';
import { findPeer } from '../../support/peers.ts';
import { tempDir } from '../../support/temp-dir.ts';

const tshark = findPeer('tshark', 'apt-get install tshark');
const dir = tempDir('lanyard-calls-broken-');
const pcapng = path.join(dir, 'calls.pcapng');
writeCallCapture(pcapng, { calls: 20, rtpPackets: 4 });
const frames = [...readCaptureFile(pcapng)].map((p) => Buffer.from(p.data));
const pcap = pcapFile(frames, 1); // snaplen 65,535, 16-byte record headers

function lanyard(args: string[]) {
  return spawnSync(nodeBin, [cliBundle, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', LANYARD_HOME: path.join(dir, 'home') },
  });
}

/** Offset of record `n` (0-based) in `pcap`. */
function recordAt(n: number): number {
  let at = 24;
  for (let i = 0; i < n; i++) at += 16 + frames[i]!.length;
  return at;
}

/** What tshark reads of a file: its packets, SIP messages, and its complaint. */
function tsharkSays(file: string): { packets: number; sip: number; complaint: string } {
  const r = spawnSync(tshark!, ['-r', file, '-q', '-z', 'sip,stat', '-o', 'tcp.reassemble_out_of_order:TRUE'], { encoding: 'utf8' });
  // tshark exits non-zero on a broken file, after printing what it read.
  const packets = spawnSync(tshark!, ['-r', file, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean).length;
  return { packets, sip: Number(/Number of SIP messages: (\d+)/.exec(r.stdout)?.[1] ?? 0), complaint: r.stderr.trim() };
}

function write(name: string, bytes: Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

interface Listed {
  calls: unknown[];
  counters: { sipMessages: number; packets: number };
  warnings: FileWarning[];
}

function listJson(file: string): { status: number | null; json: Listed; stderr: string } {
  const r = lanyard(['calls', 'list', file, '--json']);
  return { status: r.status, json: JSON.parse(r.stdout || 'null') as Listed, stderr: r.stderr };
}

describe.skipIf(!existsSync(cliBundle) || !tshark)('lanyard calls on capture files that break midway (tshark beside)', () => {
  const whole = tsharkSays(write('whole.pcap', pcap));

  it('a pcap cut short in the middle of a record: the calls before it, one warning line, exit 0', () => {
    const k = Math.floor(frames.length / 2);
    const cut = recordAt(k) + 16 + 10; // ten bytes into record k's frame
    const file = write('cut.pcap', pcap.subarray(0, cut));
    const judge = tsharkSays(file);
    expect(judge.complaint).toMatch(/cut short in the middle of a packet/);
    expect(judge.packets).toBe(k);

    const text = lanyard(['calls', 'list', file]);
    expect(text.status).toBe(0);
    expect(text.stderr.trim()).toBe(
      `warning: ${file}: stopped at byte ${recordAt(k).toLocaleString('en-US')} (packet ${k + 1}): the file ends 26 bytes into a record of ${(16 + frames[k]!.length).toLocaleString('en-US')} bytes (cut short) — the ${k} packets before it were read`,
    );
    const { json } = listJson(file);
    expect(json.warnings).toEqual([expect.objectContaining({ file, byte: recordAt(k), packet: k + 1, cutShort: true })]);
    expect(json.counters.packets).toBe(judge.packets);
    expect(json.counters.sipMessages).toBe(judge.sip);
    expect(json.calls.length).toBeGreaterThan(0);
    expect(judge.sip).toBeLessThan(whole.sip);
  });

  it('garbage after the packets: the record length it claims is refused, naming the limit; tshark stops there too', () => {
    const junk = Buffer.alloc(64, 0xee); // a record header claiming 0xeeeeeeee bytes
    const file = write('garbage.pcap', Buffer.concat([pcap, junk]));
    const judge = tsharkSays(file);
    expect(judge.complaint).toMatch(/bigger than maximum of 262144/);
    expect(judge.packets).toBe(frames.length);
    const { status, json, stderr } = listJson(file);
    expect(status).toBe(0);
    expect(stderr).toContain(
      `stopped at byte ${pcap.length.toLocaleString('en-US')} (packet ${frames.length + 1}): record length 4,008,636,142 exceeds 262,144, the most a packet can be (the header's snaplen is 65,535)`,
    );
    expect(json.warnings).toMatchObject([{ byte: pcap.length, packet: frames.length + 1, cutShort: false }]);
    expect(json.counters.sipMessages).toBe(whole.sip);
    const stats = JSON.parse(lanyard(['calls', 'stats', file, '--json']).stdout) as { sip: { messages: number }; warnings: FileWarning[] };
    expect(stats.sip.messages).toBe(whole.sip);
    expect(stats.warnings).toEqual(json.warnings);
  });

  it('a pcapng block whose length is not a block length: the packets before it, the block named', () => {
    const bytes = Buffer.from(readFileSync(pcapng));
    // Walk to the 40th block and break its length field.
    let at = 0;
    for (let i = 0; i < 40; i++) at += bytes.readUInt32LE(at + 4);
    bytes.writeUInt32LE(13, at + 4);
    const file = write('bad-block.pcapng', bytes);
    const judge = tsharkSays(file);
    expect(judge.complaint).toMatch(/appears to be damaged or corrupt.\n\(pcapng: total block length 16 of an EPB/); // it rounds 13 up to 16
    const { status, json, stderr } = listJson(file);
    expect(status).toBe(0);
    expect(stderr).toContain('block length 13 is invalid (a block length is a multiple of 4, at least 12)');
    expect(json.warnings[0]).toMatchObject({ byte: at, packet: 39, cutShort: false }); // blocks 0 and 1 are the SHB and IDB
    expect(json.counters.packets).toBe(judge.packets);
    expect(json.counters.sipMessages).toBe(judge.sip);
  });

  it('a zero or absurd snaplen in the header is no break: every packet read, no warning', () => {
    for (const snaplen of [0, 0xffffffff]) {
      const bytes = Buffer.from(pcap);
      bytes.writeUInt32LE(snaplen, 16);
      const file = write(`snaplen-${snaplen}.pcap`, bytes);
      expect(tsharkSays(file).packets).toBe(frames.length);
      const { status, json, stderr } = listJson(file);
      expect(status).toBe(0);
      expect(stderr).toBe('');
      expect(json.warnings).toEqual([]);
      expect(json.counters.sipMessages).toBe(whole.sip);
    }
  });

  it('nothing readable before the break, random junk, an empty file: an error naming the file, exit 1', () => {
    const firstBroken = Buffer.from(pcap);
    firstBroken.writeUInt32LE(4_000_000_000, 24 + 8);
    const cases: [string, Buffer, RegExp][] = [
      [
        'first-broken.pcap',
        firstBroken,
        /stopped at byte 24 \(packet 1\): record length 4,000,000,000 exceeds 262,144.* — no packet before it/,
      ],
      ['junk.pcap', Buffer.from('this is no capture file, only words and more words'), /not a pcap or pcapng file/],
      ['empty.pcap', Buffer.alloc(0), /too short to be a capture/],
      ['header-only-cut.pcap', pcap.subarray(0, 30), /stopped at byte 24 \(packet 1\): the file ends 6 bytes into a record header/],
    ];
    for (const [name, bytes, message] of cases) {
      const file = write(name, bytes);
      const r = lanyard(['calls', 'list', file]);
      expect(r.status, name).toBe(1);
      expect(r.stderr, name).toContain(file);
      expect(r.stderr, name).toMatch(message);
    }
  });
});
