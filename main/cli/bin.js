#!/usr/bin/env node
// The `lanyard` command. npm links this file; the real CLI is the bundle `npm run build` writes to out/.
import { existsSync } from 'node:fs';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22 && !process.versions.electron) {
  process.stderr.write(
    `lanyard needs Node 24, but this is Node ${process.versions.node}.\n` +
      'Run it as `npx lanyard` inside the Lanyard folder (npm puts the pinned Node 24 first on PATH), or install Node 24.\n',
  );
  process.exit(1);
}
// Cache compiled code between runs (Node ≥ 22.1): the CLI starts in a fraction of the time after its first run.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
const cli = new URL('../../out/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('lanyard is not built yet. Run `npm install` (or `npm run build`) in the Lanyard folder first.\n');
  process.exit(1);
}
await import(cli.href);
