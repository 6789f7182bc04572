// Captures' front door: the TZSP listener service, `lanyard tzsp` help and its Doctor checks (Wireshark, extcap).
import type { ToolDefinition } from '../system/define-tool.ts';

export const tool = {
  name: 'captures',
  async load({ env }) {
    const [{ capturesHandlers }, { createCapturesService }] = await Promise.all([import('./handlers.ts'), import('./service.ts')]);
    return capturesHandlers(createCapturesService({ env }));
  },
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
        '  Receives TZSP on UDP (IPv4, or IPv6 with --bind ::), one pcapng interface per sensor and link type.',
        '  --stdout streams pcapng for `| wireshark -k -i -`; --tcp serves it for `wireshark -k -i TCP@127.0.0.1:PORT`;',
        '  --wireshark starts Wireshark on the live stream. Ctrl+C / SIGTERM flush every output and print a summary.',
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
  ],
} satisfies ToolDefinition<'captures'>;
