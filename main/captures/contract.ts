import { z } from 'zod';

const port = z.number().int().min(0).max(65535);

export const hepSettings = z
  .object({
    port: port.default(9060),
    bind: z.string().min(1).default('0.0.0.0'),
    /** Messages must carry this auth key; shown as "‹set›" in a status. */
    password: z.string().min(1).max(255).optional(),
  })
  .strict();

export const hepTotals = z.object({
  received: z.number(),
  messages: z.number(),
  malformed: z.number(),
  unsupported: z.number(),
  noPayload: z.number(),
  compressedTooLarge: z.number(),
  keepalive: z.number(),
  authFailed: z.number(),
  connections: z.number(),
  connectionsRefused: z.number(),
  connectionsBroken: z.number(),
  /** Messages whose payload could not fit one synthetic IP packet (not written to the pcapng). */
  tooLarge: z.number(),
});

export const hepAgent = z.object({
  /** The agent's pcapng interface name and Calls source: "hep ID[/NODE]@ADDRESS". */
  id: z.string(),
  captureId: z.number(),
  nodeName: z.string().nullable(),
  address: z.string(),
  version: z.number(),
  messages: z.number(),
  authFailed: z.number(),
  firstSeen: z.number(),
  lastSeen: z.number(),
});
export type HepAgent = z.infer<typeof hepAgent>;

export const listenSettings = z
  .object({
    port: port.default(37008),
    /** An IPv4 or IPv6 literal; "::" receives both where the OS allows. */
    bind: z.string().min(1).default('0.0.0.0'),
    /** Sender addresses or CIDR prefixes; everyone when empty. */
    allow: z.array(z.string().min(1)).default([]),
    // HEP (issue 13): a second capture source into the same pcapng, and forwarding to HOMER.
    /** Receive TZSP; off for `lanyard hep listen`. */
    tzsp: z.boolean().default(true),
    hep: hepSettings.optional(),
    /** Send the SIP and RTCP seen (and every HEP message received) on as HEPv3 to HOST[:PORT], a HOMER / heplify-server. */
    hepForward: z.string().min(1).max(300).optional(),
    /** Sent as the auth key (chunk 14) on every forwarded message; shown as "‹set›" in a status. */
    hepForwardKey: z.string().min(1).max(255).optional(),
  })
  .strict();
export type ListenSettings = z.output<typeof listenSettings>;

export const recordSettings = z
  .object({
    path: z.string().min(1).describe('a .pcapng file; with rotation, files are named like dumpcap does'),
    rotateBytes: z.number().int().min(4096).optional(),
    rotateSeconds: z.number().int().min(1).optional(),
    ring: z.number().int().min(1).optional().describe('keep only the newest N files (needs rotation)'),
  })
  .strict();
export type RecordSettings = z.output<typeof recordSettings>;

export const sensorStats = z.object({
  id: z.string(),
  address: z.string(),
  name: z.string().nullable(),
  mac: z.string().nullable(),
  firstSeen: z.number(),
  lastSeen: z.number(),
  packets: z.number(),
  bytes: z.number(),
  malformed: z.number(),
  lastMalformed: z.string().nullable(),
  control: z.number(),
  gaps: z.number(),
  linktypes: z.array(z.number()),
  unknownEncapsulations: z.array(z.number()),
  packetsPerSecond: z.number(),
  bitsPerSecond: z.number(),
  /** Packets per second over the last minute, oldest first, for a sparkline. */
  history: z.array(z.number()),
});
export type SensorStats = z.infer<typeof sensorStats>;

export const outputKind = z.enum(['file', 'fifo', 'stdout', 'tcp', 'wireshark']);
export type OutputKind = z.infer<typeof outputKind>;

export const outputInfo = z.object({
  id: z.string(),
  kind: outputKind,
  label: z.string(),
  packets: z.number(),
  bytes: z.number(),
  /** Packets dropped because this reader fell behind. */
  drops: z.number(),
  files: z.array(z.string()),
  error: z.string().nullable(),
});
export type OutputInfo = z.infer<typeof outputInfo>;

export const listenerTotals = z.object({
  datagrams: z.number(),
  packets: z.number(),
  malformed: z.number(),
  control: z.number(),
  denied: z.number(),
  kernelDrops: z.number().nullable(),
  /** Datagrams charged to an overflow sensor row because their own sensor found no room (see sensors.ts limits). */
  tooManySensors: z.number(),
  /** Sensor rows dropped after a minute of silence to make room for new ones. */
  evictedSensors: z.number(),
});

export const captureStatus = z.object({
  running: z.boolean(),
  settings: listenSettings.nullable(),
  /** Where the socket is bound (the real port when 0 was asked). */
  address: z.string().nullable(),
  port: z.number().nullable(),
  receiveBufferBytes: z.number(),
  /** How datagrams are read: `batch` (recvmmsg, many per system call: the udp-batch addon) or Node's `dgram`. */
  receivePath: z.enum(['batch', 'dgram']).nullable(),
  startedAt: z.number().nullable(),
  totals: listenerTotals,
  /** The most recently seen sensors, at most a bounded number of rows per status (see sensorCount). */
  sensors: z.array(sensorStats),
  /** Sensor rows in the table; more than `sensors.length` when the status was cut to its row limit. */
  sensorCount: z.number(),
  outputs: z.array(outputInfo),
  /** The newest pcapng interfaces, bounded like `sensors` (see interfaceCount). */
  interfaces: z.array(z.object({ id: z.number(), sensor: z.string(), linktype: z.number(), name: z.string() })),
  interfaceCount: z.number(),
  /** The HEP receiver, when one runs (issue 13). */
  hep: z
    .object({
      address: z.string(),
      port: z.number(),
      totals: hepTotals,
      /** The most recently seen agents, newest first (at most statusRows), and how many there are. */
      agents: z.array(hepAgent),
      agentCount: z.number(),
    })
    .nullable(),
  /** UDP/TCP packets and SCTP messages handed to Calls (zero while Calls is not loaded): frames with no UDP/TCP packet, and IP
   * fragments never completed or dropped as hostile, are counted. */
  tap: z.object({
    packets: z.number(),
    skipped: z.number(),
    fragmentsIncomplete: z.number(),
    fragmentsDropped: z.number(),
    /** SIP over SCTP: packets, DATA chunks and messages read; malformed, chunks past the cap, fragments dropped. */
    sctp: z.object({
      packets: z.number(),
      dataChunks: z.number(),
      messages: z.number(),
      malformed: z.number(),
      chunksSkipped: z.number(),
      fragmentsDropped: z.number(),
    }),
  }),
  /** Tap packets not handed to Calls because the host had not yet read 64 MiB of earlier ones (a stalled host). */
  tapBehind: z.number(),
  /** HEP forwarding, when set. */
  forward: z.object({ target: z.string(), sent: z.number(), rtcp: z.number(), backlog: z.number(), failed: z.number() }).nullable(),
  /** Why the listener stopped on its own (its receiver process failed), until the next start. */
  error: z.string().nullable(),
});
export type CaptureStatus = z.infer<typeof captureStatus>;

export const packetSummary = z.object({
  seq: z.number(),
  /** Milliseconds since the epoch. */
  time: z.number(),
  sensor: z.string(),
  linktype: z.number(),
  length: z.number(),
  src: z.string(),
  dst: z.string(),
  protocol: z.string(),
  info: z.string(),
});
export type PacketSummary = z.infer<typeof packetSummary>;

export const liveEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('status'), status: captureStatus }),
  z.object({ type: z.literal('packets'), packets: z.array(packetSummary) }),
]);
export type LiveEvent = z.infer<typeof liveEvent>;

export const wiresharkLaunch = z.object({
  /** The command Lanyard started, as an argv array, so the user can run it again by hand. */
  command: z.array(z.string()),
  output: outputInfo,
});
export type WiresharkLaunch = z.infer<typeof wiresharkLaunch>;

export const sendProgress = z.object({
  sent: z.number(),
  bytes: z.number(),
  skipped: z.number(),
  skippedLinktypes: z.array(z.number()),
  done: z.boolean(),
});
export type SendProgress = z.infer<typeof sendProgress>;

export const decapResult = z.object({
  packets: z.number(),
  /** Outer packets that were not TZSP on the chosen port. */
  skipped: z.number(),
  malformed: z.number(),
  /** IP fragments whose siblings never showed up (complete ones are reassembled). */
  fragments: z.number(),
  /** IP fragments thrown away as hostile: overlapping, past 65,535 bytes, or too many pieces for one datagram. */
  fragmentsDropped: z.number(),
  interfaces: z.array(z.object({ id: z.number(), sensor: z.string(), linktype: z.number(), name: z.string() })),
});
export type DecapResult = z.infer<typeof decapResult>;

const none = z.object({}).strict();

export const capturesMethods = {
  'captures.start': {
    summary: 'Start the TZSP listener, optionally recording and streaming to a FIFO or standard output from the start.',
    params: listenSettings
      .extend({
        record: recordSettings.optional(),
        fifo: z.string().min(1).optional().describe('write the live pcapng stream into this FIFO or file (extcap, pipes)'),
        stdout: z.boolean().optional().describe("write the live pcapng stream to the host process's standard output (the CLI's --stdout)"),
      })
      .strict(),
    result: captureStatus,
  },
  'captures.stop': {
    summary: 'Stop the listener: flush and close every file and pipe; returns the final counters.',
    params: none,
    result: captureStatus,
  },
  'captures.status': { summary: 'Listener state, sensors, outputs and counters.', params: none, result: captureStatus },
  'captures.record': {
    summary: 'Start recording to a pcapng file (with optional rotation and ring buffer).',
    params: recordSettings,
    result: outputInfo,
  },
  'captures.closeOutput': {
    summary: 'Stop one output (a recording, a Wireshark hand-off) and flush it; the listener keeps running.',
    params: z.object({ id: z.string().min(1) }).strict(),
    result: outputInfo,
  },
  'captures.openWireshark': {
    summary:
      'Start Wireshark reading the live stream (FIFO where possible, else TCP@127.0.0.1). Closing Wireshark leaves the listener running.',
    params: z.object({ via: z.enum(['auto', 'fifo', 'tcp']).default('auto') }).strict(),
    result: wiresharkLaunch,
  },
  'captures.serveTcp': {
    summary:
      'Serve the live pcapng stream on 127.0.0.1 only, for `wireshark -k -i TCP@127.0.0.1:PORT` (TCP@ has no authentication): one reader at a time, which gets every interface; later connections are refused and counted.',
    params: z.object({ port: port.default(0) }).strict(),
    result: z.object({ port: z.number(), output: outputInfo }),
  },
  'captures.recent': {
    summary: 'The last packets received, decoded to one line each (newest last).',
    params: z.object({ limit: z.number().int().min(1).max(1000).default(300) }).strict(),
    result: z.array(packetSummary),
  },
  'captures.decap': {
    summary: 'Pull the TZSP-carried frames out of a capture of UDP traffic into pcapng, one interface per sensor.',
    params: z.object({ input: z.string().min(1), output: z.string().min(1), port: port.default(37008) }).strict(),
    result: decapResult,
  },
} as const;

export const capturesStreams = {
  'captures.live': {
    summary: 'Listener status about once a second and newly received packets (decoded, rate-limited) as they come.',
    params: z.object({ intervalMs: z.number().int().min(100).max(10_000).default(1000) }).strict(),
    event: liveEvent,
  },
  'captures.send': {
    summary: 'Replay a pcap/pcapng file as TZSP to HOST[:PORT], optionally paced and looped; progress about once a second.',
    params: z
      .object({
        file: z.string().min(1),
        to: z.string().min(1),
        rate: z.number().positive().optional(),
        loop: z.boolean().default(false),
      })
      .strict(),
    event: sendProgress,
  },
} as const;

/** captures's requests and event streams, joined into the contract by contract/index.ts (found by folder). */
export const contract = { methods: capturesMethods, streams: capturesStreams } as const;

declare module '../contract/registry.ts' {
  interface ToolContracts {
    captures: typeof contract;
  }
}
