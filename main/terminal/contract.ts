import { z } from 'zod';

export const terminalInfo = z.object({
  id: z.string(),
  title: z.string(),
  shell: z.string(),
  /** The shell command line the tab runs, when it was opened for one (a Docker cheat). */
  command: z.string().nullable(),
  cwd: z.string(),
  pid: z.number(),
  cols: z.number(),
  rows: z.number(),
  exited: z.boolean(),
});
export type TerminalInfo = z.infer<typeof terminalInfo>;

export const terminalEvent = z.discriminatedUnion('type', [
  /** Output; the receiver acknowledges data.length chars with terminal.ack once it has rendered them. */
  z.object({ type: z.literal('data'), data: z.string() }),
  z.object({ type: z.literal('exit'), code: z.number().nullable(), signal: z.number().nullable(), durationMs: z.number() }),
]);
export type TerminalEvent = z.infer<typeof terminalEvent>;

const size = { cols: z.number().int().min(2).max(1000), rows: z.number().int().min(1).max(500) };
const byId = z.object({ id: z.string().min(1) }).strict();

export const terminalMethods = {
  'terminal.open': {
    summary: "Start a terminal: the user's login shell, or a command line run by it.",
    params: z
      .object({
        ...size,
        cwd: z.string().optional(),
        command: z.string().min(1).optional().describe('a shell command line (already quoted); the tab ends when it exits'),
        title: z.string().optional(),
        /** A command from History to type at the new shell's prompt; run by the shell that recorded it when the tab's differs. */
        input: z
          .object({ command: z.string().min(1).max(1_000_000), shell: z.string().nullable() })
          .strict()
          .optional(),
      })
      .strict(),
    result: terminalInfo,
  },
  'terminal.list': {
    summary: 'The open terminals.',
    params: z.object({}).strict(),
    result: z.array(terminalInfo),
  },
  'terminal.input': {
    summary: 'Type into a terminal (keys, pasted text).',
    params: z.object({ id: z.string().min(1), data: z.string().max(1_000_000) }).strict(),
    result: z.object({}),
  },
  'terminal.resize': {
    summary: 'Tell the terminal its new size.',
    params: z.object({ id: z.string().min(1), ...size }).strict(),
    result: z.object({}),
  },
  'terminal.ack': {
    summary: 'Acknowledge rendered output (flow control: output pauses while too much is unacknowledged).',
    params: z.object({ id: z.string().min(1), chars: z.number().int().min(0) }).strict(),
    result: z.object({}),
  },
  'terminal.close': {
    summary: 'End a terminal (its processes get SIGHUP).',
    params: byId,
    result: z.object({}),
  },
} as const;

export const terminalStreams = {
  'terminal.output': {
    summary: "A terminal's output from its start (buffered until the first subscriber), then its exit.",
    params: byId,
    event: terminalEvent,
  },
} as const;

/** terminal's requests and event streams, joined into the contract by contract/index.ts (found by folder). */
export const contract = { methods: terminalMethods, streams: terminalStreams } as const;

declare module '../contract/registry.ts' {
  interface ToolContracts {
    terminal: typeof contract;
  }
}
