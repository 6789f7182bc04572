// Real SIP traffic for the Calls tests: SIPp (sip-tester) UACs and UASs over loopback, captured by dumpcap.
// Custom scenarios give the busy (486), cancelled and unanswered calls; uac_pcap plays RTP from SIPp's pcaps.
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const common = (to: string) => `
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:${to}@[remote_ip]:[remote_port]>`;

const invite = `
  <send retrans="500"><![CDATA[
      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0${common('[service]')}
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: sip:sipp@[local_ip]:[local_port]
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 8
      a=rtpmap:8 PCMA/8000
  ]]></send>
  <recv response="100" optional="true"/>`;

const ack = (branchBack: number) => `
  <send><![CDATA[
      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch-${branchBack}]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Length: 0
  ]]></send>`;

const reply = (status: string, cseq = '[last_CSeq:]') => `
  <send><![CDATA[
      SIP/2.0 ${status}
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      ${cseq}
      Content-Length: 0
  ]]></send>`;

const scenario = (name: string, body: string) => `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="${name}">${body}
</scenario>
`;

export const scenarios = {
  'uac-busy': scenario('uac busy', `${invite}\n  <recv response="180" optional="true"/>\n  <recv response="486"/>${ack(4)}`),
  'uas-busy': scenario('uas busy', `\n  <recv request="INVITE"/>${reply('180 Ringing')}${reply('486 Busy Here')}\n  <recv request="ACK"/>`),
  'uac-cancel': scenario(
    'uac cancel',
    `${invite}
  <recv response="180"/>
  <pause milliseconds="300"/>
  <send><![CDATA[
      CANCEL sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch-4]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 CANCEL
      Max-Forwards: 70
      Content-Length: 0
  ]]></send>
  <recv response="200"/>
  <recv response="487"/>${ack(7)}`,
  ),
  'uas-cancel': scenario(
    'uas cancel',
    `\n  <recv request="INVITE"/>${reply('180 Ringing')}\n  <recv request="CANCEL"/>${reply('200 OK')}${reply('487 Request Terminated', 'CSeq: 1 INVITE')}\n  <recv request="ACK"/>`,
  ),
  'uac-noanswer': scenario('uac no answer', `${invite}\n  <recv response="180"/>\n  <pause milliseconds="2500"/>`),
  // Slow to ring, so the UAC retransmits its INVITE once (T1 = 500 ms): the resent count has something to count.
  'uas-noanswer': scenario(
    'uas no answer',
    `\n  <recv request="INVITE"/>\n  <pause milliseconds="1200"/>${reply('180 Ringing')}\n  <pause milliseconds="2600"/>`,
  ),
} as const;

/** A folder with SIPp's RTP pcaps in pcap/ (uac_pcap plays pcap/g711a.pcap relative to its working folder) and the scenarios. */
export function sippFolder(dir: string): string {
  mkdirSync(path.join(dir, 'pcap'), { recursive: true });
  for (const f of readdirSync('/usr/share/sip-tester'))
    if (f.endsWith('.pcap')) copyFileSync(path.join('/usr/share/sip-tester', f), path.join(dir, 'pcap', f));
  for (const [name, xml] of Object.entries(scenarios)) writeFileSync(path.join(dir, `${name}.xml`), xml);
  return dir;
}

export function exited(child: ChildProcess, timeoutMs = 60_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${child.spawnargs.join(' ')} did not finish in ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

export function sipp(sippBin: string, cwd: string, args: string[]): ChildProcess {
  return spawn(sippBin, [...args, '-nostdin', '-trace_err'], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** dumpcap on loopback with a capture filter; resolves once the file exists (dumpcap has opened the interface). */
export async function startDumpcap(dumpcapBin: string, file: string, filter: string): Promise<ChildProcess> {
  const child = spawn(dumpcapBin, ['-q', '-i', 'lo', '-f', filter, '-w', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  for (let i = 0; i < 100 && !(existsSync(file) && statSync(file).size > 0); i++) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 300));
  return child;
}
