// The one list of tools, in navigation order: each tool's name, its view's label and its `lanyard` commands' names.
// Plain data without zod, so the CLI and Electron's menu load it for nothing; the host, Doctor, the renderer and
// the contract index read the same list. A tool is its folder main/<name>/: tool.ts (its front door, found by name)
// and contract.ts (its schemas, found by contract/index.ts); no other shared file names a tool.
// The command names are here so `lanyard cert …` starts without loading every tool's public file.
export const tools = [
  { name: 'certs', label: 'Certificates', commands: ['cert', 'acme'] },
  { name: 'history', label: 'History', commands: ['history'] },
  { name: 'docker', label: 'Docker', commands: ['docker'] },
  { name: 'terminal', label: 'Terminal', commands: [] },
  { name: 'captures', label: 'Captures', commands: ['tzsp', 'hep'] },
  { name: 'calls', label: 'Calls', commands: ['calls'] },
  { name: 'doctor', label: 'Doctor', commands: ['doctor'] },
] as const;

export type ToolName = (typeof tools)[number]['name'];
export const toolNames: readonly ToolName[] = tools.map((t) => t.name);

/** The app's views, in navigation order: one per tool. */
export const views: readonly { id: ToolName; label: string }[] = tools.map(({ name, label }) => ({ id: name, label }));
export type ViewId = ToolName;
