import { z } from 'zod';

export const appInfo = z.object({
  name: z.string(),
  version: z.string(),
  dataDir: z.string(),
  platform: z.enum(['linux', 'darwin', 'win32', 'other']),
  /** Which transport this client reaches the host through. */
  transport: z.enum(['in-process', 'fork', 'electron', 'websocket']),
});
export type AppInfo = z.infer<typeof appInfo>;

export const appMethods = {
  'app.info': {
    summary: 'Name, version, data folder and platform of the running host.',
    params: z.object({}).strict(),
    result: appInfo,
  },
} as const;

export const appStreams = {} as const;
