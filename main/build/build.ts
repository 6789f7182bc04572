// Builds everything `lanyard` and the app run: Node/Electron bundles with esbuild, the renderer with Vite.
// Runs on `npm install` (prepare), `npm run build`, `npm start` and `npm test`.
import { build, type BuildOptions } from 'esbuild';
import { renameSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as viteBuild } from 'vite';
import { loadTools } from '../system/tool-files.ts';
import { globPlugin } from './glob-plugin.ts';
import { buildUdpBatch } from './native-addon.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = path.join(root, 'out');
const quiet = process.argv.includes('--quiet');

// Native modules and Electron load from node_modules at run time; everything else is bundled.
const external = ['electron', 'better-sqlite3', 'node-pty'];

const common: BuildOptions = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: 'linked',
  legalComments: 'none',
  external,
  logLevel: 'warning',
  // Less to parse at every start; names are kept so stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [globPlugin],
};

const started = performance.now();
// Tools' own programs (history's Ctrl+R picker and worker), declared in their public files.
const toolEntryPoints = Object.fromEntries(
  (await loadTools()).flatMap((tool) => Object.entries(tool.entryPoints ?? {}).map(([name, file]) => [name, `main/${tool.name}/${file}`])),
);
// Build beside out/ and swap it in at the end, so a CLI or test running meanwhile never finds out/ half-built.
const staging = path.join(root, `.out-${process.pid}`);
rmSync(staging, { recursive: true, force: true });

const [addonProblem] = await Promise.all([
  mkdir(staging, { recursive: true }).then(() => buildUdpBatch(root, staging)),
  build({
    ...common,
    entryPoints: {
      cli: 'main/cli/main.ts',
      host: 'main/host/entry.ts',
      'app/main': 'main/app/main.ts',
      'lib/in-process': 'main/host/in-process.ts',
      ...toolEntryPoints,
    },
    outdir: staging,
    format: 'esm',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    // Bundled CommonJS dependencies (ws) call require(); give ESM output a real one.
    banner: { js: "import { createRequire as __lanyardRequire } from 'node:module'; const require = __lanyardRequire(import.meta.url);" },
  }),
  // Sandboxed preloads must be a single CommonJS file that requires nothing but 'electron'.
  build({
    ...common,
    entryPoints: { 'app/preload': 'main/app/preload.ts' },
    outdir: staging,
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    platform: 'browser',
    target: 'chrome140',
    // The contract's on-disk glob fallback (contract/glob-fallback.ts) reads import.meta.url; in a bundle the glob
    // is filled in at build time, so the fallback never runs there.
    logOverride: { 'empty-import-meta': 'silent' },
  }),
  viteBuild({
    configFile: path.join(root, 'renderer', 'vite.config.ts'),
    logLevel: quiet ? 'silent' : 'warn',
    build: { outDir: path.join(staging, 'renderer') },
  }),
]);

const previous = `${out}.old-${process.pid}`;
rmSync(previous, { recursive: true, force: true });
try {
  renameSync(out, previous);
} catch {
  // first build: nothing to move aside
}
renameSync(staging, out);
rmSync(previous, { recursive: true, force: true });

if (addonProblem) process.stderr.write(`${addonProblem}\n`);
if (!quiet) process.stdout.write(`lanyard: built out/ in ${Math.round(performance.now() - started)} ms\n`);
