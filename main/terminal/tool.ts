// Terminal's front door: its service, and the host's one terminal manager, which Docker shares to run cheats in tabs.
import type { ToolContext, ToolDefinition } from '../system/define-tool.ts';
import type { TerminalManager } from './manager.ts';

export type { TerminalManager } from './manager.ts';

/** The host's terminal manager, made on first use and shared by every tool that opens terminals. */
export function terminalManager(ctx: ToolContext): Promise<TerminalManager> {
  return ctx.share('terminal.manager', async () => {
    const [{ createTerminalManager }, { loadHookScript }] = await Promise.all([import('./manager.ts'), import('../history/tool.ts')]);
    return createTerminalManager(ctx.env, { dataDir: ctx.dataDir.path, hookScript: await loadHookScript() });
  });
}

export const tool = {
  name: 'terminal',
  async load(ctx) {
    const manager = await terminalManager(ctx);
    return { ...(await import('./handlers.ts')).terminalHandlers(manager), dispose: () => manager.closeAll() };
  },
  // The PTYs live in a process of their own (out/pty-host.js), so shell output never stalls the service host.
  entryPoints: { 'pty-host': 'pty-host-entry.ts' },
} satisfies ToolDefinition<'terminal'>;
