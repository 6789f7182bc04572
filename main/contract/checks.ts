// What a tool's Doctor check reports: every tool's checks return these, and Doctor's report carries them.
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

/** A section of Doctor's report: one per tool that has checks, in the tool list's order. `id` is the tool's name. */
export const checkGroup = z.object({ id: z.string(), title: z.string(), blurb: z.string() });
export type CheckGroup = z.infer<typeof checkGroup>;

export const checkStatus = z.enum(['ok', 'warn', 'missing', 'error']);
export type CheckStatus = z.infer<typeof checkStatus>;

export const toolCheck = z.object({
  id: z.string(),
  name: z.string(),
  /** The tool whose check it is (its CheckGroup's id). */
  group: z.string(),
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
