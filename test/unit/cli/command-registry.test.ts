// The command registry is the tools' commands (names in the tool list, help and code through each tool's public file) and the
// app's own: the names `lanyard` dispatches on, the help it prints and the code it loads must agree.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandNames, commands, loadCommand } from '../../../main/cli/command-registry.ts';
import { tools } from '../../../main/contract/tools.ts';
import { loadTool } from '../../../main/system/tool-files.ts';
import { repoRoot } from '../../support/paths.ts';

describe('command registry', () => {
  it('each tool’s public file helps with exactly the commands the tool list names for it', async () => {
    for (const { name, commands: listed } of tools) {
      const tool = await loadTool(name);
      expect(
        (tool.commands ?? []).map((c) => c.name),
        name,
      ).toEqual([...listed]);
    }
  });

  it('dispatches on the names it has help for, in the order --help lists them', async () => {
    expect((await commands()).map((c) => c.name)).toEqual([...commandNames]);
  });

  it('finds each tool command’s code in its folder (main/<tool>/cli/<name>.ts), a module with run()', async () => {
    for (const { name: tool, commands: listed } of tools)
      for (const name of listed) expect(existsSync(path.join(repoRoot, 'main', tool, 'cli', `${name}.ts`)), name).toBe(true);
    for (const name of commandNames) expect(typeof (await loadCommand(name)).run, name).toBe('function');
  });
});
