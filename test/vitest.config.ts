import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default defineConfig({
  root,
  test: {
    include: ['test/{unit,integration,e2e}/**/*.test.{ts,tsx}'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Peers (dockerd, Chromium, tshark) are shared and heavy: two files at a time on two cores.
    maxWorkers: 2,
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test/output/results.json' }]] : ['default'],
  },
});
