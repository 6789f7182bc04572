// `npm run bench [name…]`: runs every test/bench/*.bench.ts (or those whose name contains an argument), one at a time,
// each in its own Node process so one bench's heap and sockets never colour another's figures.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((word) => f.includes(word)))
  .sort();

let failed = 0;
for (const file of benches) {
  process.stdout.write(`\n== ${file.replace(/\.bench\.ts$/, '')} ==\n`);
  const result = spawnSync(process.execPath, [path.join(here, file)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) {
    failed++;
    process.stdout.write(`!! ${file} failed (exit ${result.status ?? result.signal})\n`);
  }
}
process.stdout.write(`\n${benches.length - failed} benches ran, ${failed} failed\n`);
process.exitCode = failed > 0 ? 1 : 0;
