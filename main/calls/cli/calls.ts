// `lanyard calls list|flow|export|stats`: SIP calls and RTP quality from capture files.
import path from 'node:path';
import type { CallSummary, FileWarning, RtpStream } from '../contract.ts';
import { analyseFiles } from '../analyse.ts';
import { callLadder, clockText, endpointText, ladderText } from '../../display/call-ladder.ts';
import { bold, dim, green, red, yellow } from '../../system/terminal-style.ts';
import { parseOptions, UsageError, type CommandModule } from '../../system/command-line.ts';

const subcommands: Record<string, (args: string[]) => Promise<number>> = { list, flow, export: exportCommand, stats };

export const run: CommandModule['run'] = async (args) => {
  const [sub, ...rest] = args;
  const handler = sub ? subcommands[sub] : undefined;
  if (!handler)
    throw new UsageError(
      sub ? `unknown calls command "${sub}" (list, flow, export, stats)` : 'calls needs a command: list, flow, export or stats',
    );
  return handler(rest);
};

function needFiles(files: string[], usage: string): string[] {
  if (files.length === 0) throw new UsageError(`${usage}: name at least one pcap or pcapng file`);
  return files.map((f) => path.resolve(f));
}

/** Files that broke midway, one line each on stderr: what was read is shown, and the exit status stays 0. */
function warn(warnings: readonly FileWarning[]): void {
  for (const w of warnings) process.stderr.write(`${yellow('warning:')} ${w.text}\n`);
}

async function list(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, { json: { type: 'boolean' }, failed: { type: 'boolean' } });
  const warnings: FileWarning[] = [];
  const tracker = await analyseFiles(needFiles(positionals, 'calls list'), { maxMessagesPerCall: 0 }, undefined, warnings);
  warn(warnings);
  let calls = tracker.calls();
  if (values.failed) calls = calls.filter((c) => c.state === 'rejected' || c.state === 'timed-out' || c.state === 'cancelled');
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ calls, orphanStreams: tracker.orphanStreams().map(withoutSeries), counters: tracker.counters(), warnings }, null, 2)}\n`,
    );
    return 0;
  }
  for (const c of calls) process.stdout.write(`${callLine(c)}\n`);
  const counters = tracker.counters();
  const orphans = tracker.orphanStreams();
  process.stdout.write(
    dim(
      `${calls.length} calls and flows; ${counters.sipMessages} SIP messages, ${counters.malformed} malformed; ${counters.rtpPackets} RTP and ${counters.rtcpPackets} RTCP packets${orphans.length ? `; ${orphans.length} RTP streams without SDP` : ''}${counters.evictedCalls ? `; ${counters.evictedCalls} calls pushed out by the limit` : ''}\n`,
    ),
  );
  for (const s of orphans) process.stdout.write(`  ${dim('no SDP')} ${streamLine(s)}\n`);
  return 0;
}

function callLine(c: CallSummary): string {
  const state =
    c.state === 'answered' || c.state === 'completed'
      ? green(c.state)
      : c.state === 'rejected' || c.state === 'timed-out'
        ? red(`${c.state}${c.code ? ` ${c.code}` : ''}`)
        : yellow(`${c.state}${c.state === 'cancelled' && c.code ? ` ${c.code}` : ''}`);
  const figures = [
    c.answerMs !== null ? `setup ${c.answerMs.toFixed(0)} ms` : c.ringMs !== null ? `ring ${c.ringMs.toFixed(0)} ms` : '',
    c.durationMs !== null ? `${(c.durationMs / 1000).toFixed(1)} s` : '',
    c.hungUpBy ? `${c.hungUpBy} hung up` : '',
    c.codecs.join('/'),
    c.worstMos !== null ? `MOS ${c.worstMos.toFixed(2)}` : '',
    c.legs.length ? `legs ${c.legs.join(',')}` : '',
  ].filter(Boolean);
  return `${clockText(c.startUs)}  ${c.kind.padEnd(9)} ${state}  ${bold(c.from)} → ${c.to}  ${dim(c.id)}${figures.length ? `  ${figures.join(', ')}` : ''}`;
}

function streamLine(s: RtpStream): string {
  const loss = s.expected > 0 ? ((Math.max(0, s.lost) * 100) / s.expected).toFixed(1) : '0.0';
  return `${endpointText(s.src, s.sport)} → ${endpointText(s.dst, s.dport)} ssrc 0x${s.ssrc.toString(16).padStart(8, '0')} ${s.codec}: ${s.packets} packets, lost ${s.lost} (${loss}%), jitter mean ${s.meanJitterMs.toFixed(3)} max ${s.maxJitterMs.toFixed(3)} ms, max delta ${s.maxDeltaMs.toFixed(3)} ms${s.mos !== null ? `, MOS ${s.mos.toFixed(2)}` : ''}${s.dtmf ? `, DTMF ${s.dtmf}` : ''}${s.duplicates ? `, ${s.duplicates} duplicates` : ''}${s.outOfOrder ? `, ${s.outOfOrder} out of order` : ''}`;
}

function withoutSeries(s: RtpStream): RtpStream {
  return { ...s, series: [] };
}

async function flow(args: string[]): Promise<number> {
  const { positionals } = parseOptions(args, {});
  const [id, ...files] = positionals;
  if (!id) throw new UsageError('usage: lanyard calls flow CALL-ID FILE…');
  const warnings: FileWarning[] = [];
  const tracker = await analyseFiles(needFiles(files, 'calls flow'), { maxMessageText: 0 }, undefined, warnings);
  warn(warnings);
  const call = tracker.call(id);
  if (!call) {
    process.stderr.write(`No call with Call-ID "${id}" in those files; \`lanyard calls list FILE…\` shows the Call-IDs.\n`);
    return 1;
  }
  process.stdout.write(`${callLine(call)}\n\n${ladderText(callLadder(call.messages))}\n`);
  if (call.messagesDropped) process.stdout.write(dim(`(${call.messagesDropped} later messages not kept)\n`));
  if (call.rtp.length) process.stdout.write('\n');
  for (const s of call.rtp) process.stdout.write(`${streamLine(s)}\n`);
  return 0;
}

async function exportCommand(args: string[]): Promise<number> {
  const { positionals } = parseOptions(args, {});
  const [id, output, ...files] = positionals;
  if (!id || !output) throw new UsageError('usage: lanyard calls export CALL-ID OUT.pcapng FILE…');
  // Loaded here: its pcapng writing and atomic file code are for this command only.
  const { exportCall } = await import('../export-call.ts');
  const r = await exportCall(needFiles(files, 'calls export'), id, path.resolve(output));
  process.stdout.write(`${green('✓')} ${r.packets} packets (${r.sip} SIP, ${r.media} RTP/RTCP) of ${id} written to ${output}\n`);
  return 0;
}

async function stats(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, { json: { type: 'boolean' } });
  const warnings: FileWarning[] = [];
  const tracker = await analyseFiles(needFiles(positionals, 'calls stats'), { maxMessagesPerCall: 0 }, undefined, warnings);
  warn(warnings);
  const sip = tracker.sipFigures();
  const rtp = tracker.streams();
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ sip, rtp, counters: tracker.counters(), warnings }, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(`SIP messages: ${sip.messages} (${sip.resent} resent)\n`);
  for (const [code, n] of Object.entries(sip.codes)) process.stdout.write(`  SIP ${code}: ${n}\n`);
  for (const [method, n] of Object.entries(sip.methods)) process.stdout.write(`  ${method}: ${n}\n`);
  process.stdout.write(`RTP streams: ${rtp.length}\n`);
  for (const s of rtp) process.stdout.write(`  ${s.callId ? '' : `${dim('no SDP')} `}${streamLine(s)}\n`);
  return 0;
}
