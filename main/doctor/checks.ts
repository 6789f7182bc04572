// Doctor asks each tool for its checks (its public file's `checks`) and knows none of them itself.
import type { ToolGroup } from '../contract/index.ts';
import type { CheckDefinition } from '../system/define-tool.ts';
import { loadTools } from '../system/tool-files.ts';

/** The report's order: the groups as Doctor shows them, each tool's checks in its own order. */
const groupOrder: readonly ToolGroup[] = ['docker', 'captures', 'certificates', 'shells'];

export async function allChecks(): Promise<CheckDefinition[]> {
  const perTool = await Promise.all((await loadTools()).map(async (tool) => (tool.checks ? await tool.checks() : [])));
  return perTool.flat().sort((a, b) => groupOrder.indexOf(a.group) - groupOrder.indexOf(b.group));
}
