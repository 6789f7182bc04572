// Finds each tool's public file from the tool list, by name. The one place that imports main/<tool>/tool.ts:
// a template-literal import that esbuild bundles as a glob over main/*/tool.ts, and Node and vitest resolve at run time.
import { tools, type ToolName } from '../contract/tools.ts';
import type { AnyTool, ToolDefinition } from './define-tool.ts';

export async function loadTool<N extends ToolName>(name: N): Promise<ToolDefinition<N>> {
  const file = (await import(`../${name}/tool.ts`)) as { tool: ToolDefinition<N> };
  if (file.tool?.name !== name)
    throw new Error(`main/${name}/tool.ts must export \`tool = { name: '${name}', … } satisfies ToolDefinition<'${name}'>\``);
  return file.tool;
}

/** Every tool's public file, in the list's order. */
export function loadTools(): Promise<AnyTool[]> {
  return Promise.all(tools.map((t) => loadTool(t.name) as Promise<AnyTool>));
}
