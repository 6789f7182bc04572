// The one list of tools, in navigation order: each tool's name and its view's label. Plain data without zod,
// so the CLI (`lanyard --help` reads every tool's commands) and Electron's menu load it for nothing; the host,
// Doctor, the renderer and the contract index read the same list. A tool's code is main/<name>/tool.ts, found
// by name; its schemas are contract/<name>.ts, joined in contract/index.ts (the type checker asks for them).
export const tools = [
  { name: 'certs', label: 'Certificates' },
  { name: 'history', label: 'History' },
  { name: 'docker', label: 'Docker' },
  { name: 'terminal', label: 'Terminal' },
  { name: 'captures', label: 'Captures' },
  { name: 'doctor', label: 'Doctor' },
] as const;

export type ToolName = (typeof tools)[number]['name'];
export const toolNames: readonly ToolName[] = tools.map((t) => t.name);

/** The app's views, in navigation order: one per tool. */
export const views: readonly { id: ToolName; label: string }[] = tools.map(({ name, label }) => ({ id: name, label }));
export type ViewId = ToolName;
