// Captures' front door: the TZSP and HEP listener service, `lanyard tzsp` and `lanyard hep` help, its Doctor
// checks (Wireshark, extcap), and the transport tap through which Calls receives every UDP/TCP packet and SCTP message.
import type { ToolContext, ToolDefinition } from '../system/define-tool.ts';
import type { TapFeed } from './tap-feed.ts';

export type { TransportPacket, TransportSink } from './transport-packet.ts';
export type { TapFeed } from './tap-feed.ts';
export type { CaptureCursor, CaptureStop } from './capture-file.ts';

/**
 * The host's transport tap: every UDP/TCP packet the listener receives (TZSP sensors' frames decoded, IP fragments
 * reassembled; HEP agents' messages), for Calls' tracker. `tap.add(sink)` starts it and returns the stop function;
 * while no sink is added, TZSP frames are not decoded at all. The listener runs in a receiver process: packets
 * arrive in batches (every 25 ms), each packet object and payload valid only during the sink's call.
 */
export function transportTap(ctx: ToolContext): Promise<TapFeed> {
  return ctx.share('captures.transport-tap', async () => new (await import('./tap-feed.ts')).TapFeed());
}

/**
 * For other tools (Calls reads SIP and RTP out of capture files and writes a call's packets back out): a cursor
 * over a pcap/pcapng file's records, the IP packet inside a frame of any link type the captures code knows (found
 * in place), address text cached per host, IP fragment reassembly, SCTP's user messages, and the pcapng block writers. Loaded on use.
 */
export async function captureReaders() {
  const [{ openCaptureFile }, { locateIp, newIpLocation, AddressNames }, { FragmentReassembler }, { SctpReader }, blocks] =
    await Promise.all([
      import('./capture-file.ts'),
      import('./ip-packet.ts'),
      import('./ip-fragments.ts'),
      import('./sctp.ts'),
      import('./pcapng-blocks.ts'),
    ]);
  const { sectionHeaderBlock, interfaceDescriptionBlock, enhancedPacketBlock } = blocks;
  return {
    openCaptureFile,
    locateIp,
    newIpLocation,
    AddressNames,
    FragmentReassembler,
    SctpReader,
    pcapng: { sectionHeaderBlock, interfaceDescriptionBlock, enhancedPacketBlock },
  };
}
export type CaptureReaders = Awaited<ReturnType<typeof captureReaders>>;

/** Open a capture file in Wireshark (found as the live stream's "Open in Wireshark" finds it); the command it ran. */
export async function openCaptureInWireshark(env: NodeJS.ProcessEnv, file: string): Promise<string[]> {
  const { findWireshark, openFileInWireshark, wiresharkMissing } = await import('./wireshark.ts');
  const program = findWireshark(env);
  if (!program) throw wiresharkMissing();
  return openFileInWireshark(program, file);
}

export const tool = {
  name: 'captures',
  async load(ctx) {
    const [{ capturesHandlers }, { createCapturesService }, tap] = await Promise.all([
      import('./handlers.ts'),
      import('./service.ts'),
      transportTap(ctx),
    ]);
    return capturesHandlers(createCapturesService({ env: ctx.env, feed: tap }));
  },
  entryPoints: { 'captures-receiver': 'receive-process-entry.ts' },
  checks: async () => (await import('./checks.ts')).checks,
  checkGroup: { title: 'Captures', blurb: 'Wireshark and friends, for TZSP captures.' },
  commands: [
    {
      name: 'tzsp',
      load: () => import('./cli/tzsp.ts'),
      usage: 'lanyard tzsp listen|send|decap|install-extcap [options]',
      summary: "receive TZSP from MikroTik / Scratch'n'Sniff sensors into pcapng and Wireshark",
      details: [
        'lanyard tzsp listen [--port 37008] [--bind ADDR] [--allow ADDR[/N],…] [--stdout] [--tcp PORT] [--wireshark]',
        '                    [--write FILE.pcapng [--rotate-size 100M] [--rotate-seconds N] [--ring N]] [--quiet]',
        '                    [--hep PORT [--hep-bind ADDR] [--password KEY]] [--hep-forward HOST[:PORT] [--hep-forward-key-file F]]',
        '  Receives TZSP on UDP (IPv4, or IPv6 with --bind ::), one pcapng interface per sensor and link type.',
        '  --stdout streams pcapng for `| wireshark -k -i -`; --tcp serves it for `wireshark -k -i TCP@127.0.0.1:PORT`;',
        '  --wireshark starts Wireshark on the live stream. Ctrl+C / SIGTERM flush every output and print a summary.',
        '  --hep PORT also receives HEP into the same pcapng (see `lanyard hep`); --hep-forward sends the SIP and RTCP',
        '  seen on as HEPv3 to a HOMER / heplify-server (RTCP as type 5 JSON, correlated to its call by the SDP);',
        '  the auth key it sends comes from --hep-forward-key-file F (first line) or $LANYARD_HEP_FORWARD_KEY.',
        '',
        'lanyard tzsp send --pcap FILE --to HOST[:PORT] [--rate PPS] [--loop]',
        '  Replays a pcap/pcapng as TZSP (Ethernet as MikroTik sends it: 01 00 00 01 01 + frame).',
        '',
        'lanyard tzsp decap IN.pcap[ng] OUT.pcapng [--port 37008]',
        '  Pulls the TZSP-carried frames out of a capture of UDP traffic, one interface per sensor.',
        '',
        'lanyard tzsp install-extcap',
        '  Puts a launcher in Wireshark\'s personal extcap folder so "Lanyard TZSP receiver" is in its interface list',
        '  (and `tshark -i lanyard-tzsp`), with port, bind address and allow-list settings.',
      ].join('\n'),
    },
    {
      name: 'hep',
      load: () => import('./cli/hep.ts'),
      usage: 'lanyard hep listen [--port 9060] [--bind ADDR] [--password KEY] [options of tzsp listen]',
      summary: 'receive HEP (HOMER encapsulation) from Kamailio, OpenSIPS, FreeSWITCH, captagent into pcapng',
      details: [
        'lanyard hep listen [--port 9060] [--bind ADDR] [--password KEY] [--hep-forward HOST[:PORT]] [--stdout]',
        '                   [--tcp PORT] [--wireshark] [--write FILE.pcapng [--rotate-size 100M] …] [--quiet]',
        '  Receives HEPv3/EEP and HEPv1/v2 on UDP and TCP. Each message becomes a synthetic Ethernet/IP/UDP|TCP frame',
        '  with the addresses, ports and time stamp the agent captured, one pcapng interface per agent (capture id,',
        '  node name, address). --password drops (and counts) messages without that auth key. --hep-forward relays every',
        '  message as HEPv3 to a HOMER / heplify-server (with --hep-forward-key-file F or $LANYARD_HEP_FORWARD_KEY as',
        '  its auth key). SIP over SCTP is read too. Outputs as `lanyard tzsp listen`.',
        '  Kamailio: loadmodule "siptrace.so"; modparam("siptrace", "duplicate_uri", "sip:LANYARD:9060");',
        '  modparam("siptrace", "hep_mode_on", 1); modparam("siptrace", "hep_version", 3); sip_trace() in request_route.',
      ].join('\n'),
    },
  ],
} satisfies ToolDefinition<'captures'>;
