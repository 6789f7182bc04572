import { z } from 'zod';

export const installHint = z.object({
  debian: z.string(),
  fedora: z.string(),
  macos: z.string(),
  windows: z.string(),
});
export type InstallHint = z.infer<typeof installHint>;

export const fact = z.object({ label: z.string(), value: z.string() });
export type Fact = z.infer<typeof fact>;

export const toolGroup = z.enum(['docker', 'captures', 'certificates', 'shells']);
export type ToolGroup = z.infer<typeof toolGroup>;

export const checkStatus = z.enum(['ok', 'warn', 'missing', 'error']);
export type CheckStatus = z.infer<typeof checkStatus>;

export const toolCheck = z.object({
  id: z.string(),
  name: z.string(),
  group: toolGroup,
  /** Why Lanyard wants it, in a few words. */
  purpose: z.string(),
  status: checkStatus,
  version: z.string().nullable(),
  path: z.string().nullable(),
  /** One sentence on what was found or what went wrong. */
  detail: z.string(),
  facts: z.array(fact),
  hint: installHint.nullable(),
});
export type ToolCheck = z.infer<typeof toolCheck>;

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
  tools: z.array(toolCheck),
});
export type DoctorReport = z.infer<typeof doctorReport>;

export const doctorEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('started'), pending: z.array(z.object({ id: z.string(), name: z.string(), group: toolGroup })) }),
  z.object({ type: z.literal('check'), check: toolCheck }),
  z.object({ type: z.literal('done'), report: doctorReport }),
]);
export type DoctorEvent = z.infer<typeof doctorEvent>;

const onlyTools = z.object({ only: z.array(z.string().min(1)).optional().describe('tool ids to check; all when absent') }).strict();

export const doctorMethods = {
  'doctor.report': {
    summary: 'Check versions, the data folder and every outside tool Lanyard uses.',
    params: onlyTools,
    result: doctorReport,
  },
} as const;

export const doctorStreams = {
  'doctor.run': {
    summary: 'The same checks as doctor.report, each reported as it finishes.',
    params: onlyTools,
    event: doctorEvent,
  },
} as const;
