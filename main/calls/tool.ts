// Calls' front door: SIP call flows and RTP quality from capture files and live feeds, `lanyard calls` help.
import type { ToolDefinition } from '../system/define-tool.ts';

/** The key under which the host shares the one call tracker (the live feed and the service both use it). */
export const trackerShareKey = 'calls:tracker';

export const tool = {
  name: 'calls',
  async load(ctx) {
    const [{ callsHandlers }, { createCallsService }, { CallTracker }, { LiveFeed }, { transportTap }] = await Promise.all([
      import('./handlers.ts'),
      import('./service.ts'),
      import('./tracker.ts'),
      import('./live-feed.ts'),
      import('../captures/tool.ts'),
    ]);
    const tracker = await ctx.share(trackerShareKey, async () => new CallTracker());
    // The live feed: every UDP/TCP packet the captures listener receives (TZSP sensors, HEP agents) goes to the
    // tracker as it arrives (sensors' TCP with its sequence number, put back in order); the tap decodes TZSP frames
    // only while this sink is added. Its tick gives up on TCP gaps and unanswered INVITEs as time passes.
    const service = createCallsService(tracker, ctx.env);
    const live = new LiveFeed(() => service.tracker); // the service's current one: "clear" starts a new tracker
    const stopLive = (await transportTap(ctx)).add(live.packet);
    const stopTick = live.start();
    return {
      ...callsHandlers(service),
      dispose: () => {
        stopTick();
        stopLive();
      },
    };
  },
  commands: [
    {
      name: 'calls',
      load: () => import('./cli/calls.ts'),
      usage: 'lanyard calls list|flow|export|stats [options] FILE…',
      summary: 'SIP calls and RTP quality from pcap/pcapng captures (sngrep-like ladders, tshark-like figures)',
      details: [
        'lanyard calls list FILE… [--json] [--failed]',
        '  Every call (state, setup times, duration, who hung up, codecs, worst MOS) and the REGISTER/OPTIONS/',
        '  SUBSCRIBE/NOTIFY/MESSAGE flows; SIP over UDP, TCP, WebSocket and SCTP; RTP found without SDP listed apart.',
        '  A file that breaks midway (cut short, garbage after the packets) gives the calls read before the break and a',
        '  warning on stderr saying where and why (in --json: "warnings"); a file with nothing readable exits 1.',
        '',
        'lanyard calls flow CALL-ID FILE…',
        '  The call as a text ladder (one column per address:port), then its RTP streams.',
        '',
        'lanyard calls export CALL-ID OUT.pcapng FILE…',
        "  Exactly that call's SIP and RTP/RTCP frames, as captured, into a new pcapng (for Wireshark).",
        '',
        'lanyard calls stats FILE… [--json]',
        "  SIP messages by method and code (tshark's -z sip,stat) and per RTP stream packets, lost, max delta,",
        "  mean/max jitter (tshark's -z rtp,streams), with duplicates, reordering, MOS, RTCP and DTMF besides.",
      ].join('\n'),
    },
  ],
} satisfies ToolDefinition<'calls'>;
