import type { CheckStatus, InstallHint, ToolCheck } from '../../contract/index.ts';
import type { DoctorReport } from '../contract.ts';
import { bold, dim, green, red, yellow } from '../../system/terminal-style.ts';
import { parseOptions, type CommandModule } from '../../system/command-line.ts';

const mark: Record<CheckStatus, string> = { ok: green('✓'), warn: yellow('!'), missing: red('✗'), error: red('✗') };

function platformHint(hint: InstallHint): string {
  if (process.platform === 'darwin') return hint.macos;
  if (process.platform === 'win32') return hint.windows;
  return `${hint.debian}   ${dim(`(Fedora: ${hint.fedora})`)}`;
}

export function formatReport(report: DoctorReport): string {
  const v = report.versions;
  const lines = [
    bold(`Lanyard ${v.app}`) +
      dim(` · Node ${v.node}${v.electron ? ` · Electron ${v.electron}` : ''} · SQLite ${v.sqlite ?? 'unavailable'} · ${v.platform}`),
    `${mark[report.dataDir.status]} Data folder  ${report.dataDir.path} ${dim(`(${report.dataDir.source})`)}  ${report.dataDir.detail}`,
  ];
  const nameWidth = Math.max(...report.tools.map((t) => t.name.length));
  const versionWidth = Math.max(8, ...report.tools.map((t) => (t.version ?? '—').length));
  for (const group of report.groups) {
    const tools = report.tools.filter((t) => t.group === group.id);
    if (tools.length === 0) continue;
    lines.push('', bold(group.title));
    for (const tool of tools) lines.push(...formatTool(tool, nameWidth, versionWidth));
  }
  return `${lines.join('\n')}\n`;
}

function formatTool(tool: ToolCheck, nameWidth: number, versionWidth: number): string[] {
  const indent = ' '.repeat(nameWidth + versionWidth + 8);
  const lines = [`  ${mark[tool.status]} ${tool.name.padEnd(nameWidth)}  ${(tool.version ?? '—').padEnd(versionWidth)}  ${tool.detail}`];
  for (const fact of tool.facts) lines.push(`${indent}${dim(`${fact.label}:`)} ${fact.value}`);
  if (tool.hint) lines.push(`${indent}${dim('install:')} ${platformHint(tool.hint)}`);
  return lines;
}

export const run: CommandModule['run'] = async (args, context) => {
  const { values, positionals } = parseOptions(args, { json: { type: 'boolean' } });
  const { api } = await context.startHost();
  const report = await api.doctor.report(positionals.length > 0 ? { only: positionals } : {});
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return 0;
};
