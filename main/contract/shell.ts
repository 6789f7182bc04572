import { z } from 'zod';

/** The shells Lanyard quotes for (system/shell-quote.ts): a cheat's target, a terminal's, the user's login shell. */
export const shellDialect = z.enum(['sh', 'bash', 'zsh', 'fish', 'powershell', 'pwsh', 'cmd']);
export type ShellDialect = z.infer<typeof shellDialect>;
