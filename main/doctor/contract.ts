import { z } from 'zod';
import { checkGroup, checkStatus, toolCheck } from '../contract/checks.ts';

export const dataDirCheck = z.object({
  path: z.string(),
  source: z.enum(['LANYARD_HOME', 'default']),
  exists: z.boolean(),
  mode: z.string().nullable(),
  status: checkStatus,
  detail: z.string(),
});
export type DataDirCheck = z.infer<typeof dataDirCheck>;

export const versions = z.object({
  app: z.string(),
  node: z.string(),
  electron: z.string().nullable(),
  sqlite: z.string().nullable(),
  platform: z.string(),
});
export type Versions = z.infer<typeof versions>;

export const doctorReport = z.object({
  generatedAt: z.string(),
  versions,
  dataDir: dataDirCheck,
  /** The report's sections, in order; each check's group is one of them. */
  groups: z.array(checkGroup),
  tools: z.array(toolCheck),
});
export type DoctorReport = z.infer<typeof doctorReport>;

export const doctorEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('started'),
    groups: z.array(checkGroup),
    pending: z.array(z.object({ id: z.string(), name: z.string(), group: z.string() })),
  }),
  z.object({ type: z.literal('check'), check: toolCheck }),
  z.object({ type: z.literal('done'), report: doctorReport }),
]);
export type DoctorEvent = z.infer<typeof doctorEvent>;

/** Whether `lanyard` on PATH runs this install (system/command-install.ts). */
export const commandState = z.object({
  file: z.string(),
  launcher: z.string(),
  installed: z.enum(['this', 'other', 'none']),
  onPath: z.boolean(),
});
export type CommandState = z.infer<typeof commandState>;

const onlyTools = z.object({ only: z.array(z.string().min(1)).optional().describe('tool ids to check; all when absent') }).strict();

export const doctorMethods = {
  'doctor.report': {
    summary: 'Check versions, the data folder and every outside tool Lanyard uses.',
    params: onlyTools,
    result: doctorReport,
  },
  'doctor.commandState': {
    summary: "Whether the `lanyard` command in your bin folder is this install's launcher, and whether that folder is on PATH.",
    params: z.object({}).strict(),
    result: commandState,
  },
  'doctor.installCommand': {
    summary: 'Put `lanyard` on PATH as `lanyard install-command` does (~/.local/bin, no root); force replaces a file of that name.',
    params: z.object({ force: z.boolean().default(false) }).strict(),
    result: z.object({ message: z.string(), state: commandState }),
  },
} as const;

export const doctorStreams = {
  'doctor.run': {
    summary: 'The same checks as doctor.report, each reported as it finishes.',
    params: onlyTools,
    event: doctorEvent,
  },
} as const;

/** doctor's requests and event streams, joined into the contract by contract/index.ts (found by folder). */
export const contract = { methods: doctorMethods, streams: doctorStreams } as const;

declare module '../contract/registry.ts' {
  interface ToolContracts {
    doctor: typeof contract;
  }
}
