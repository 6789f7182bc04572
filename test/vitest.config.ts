import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { LongFirstSequencer } from './long-first-sequencer.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default defineConfig({
  root,
  test: {
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Peers (dockerd, Chromium, tshark) are shared and heavy: two files at a time on two cores.
    maxWorkers: 2,
    sequence: { sequencer: LongFirstSequencer },
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test/output/results.json' }]] : ['default'],
    projects: [
      // Unit tests touch no peer and leave nothing behind: they share a worker's modules instead of each starting a
      // fresh process and importing the tree again (test/unit alone: 59 → 38 s, 110 → 70 s of CPU on two cores).
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.{ts,tsx}'], isolate: false } },
      { extends: true, test: { name: 'peers', include: ['test/{integration,e2e}/**/*.test.{ts,tsx}'] } },
    ],
  },
});
