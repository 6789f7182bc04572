import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const outDir = path.join(repoRoot, 'out');
/** Node 24 from node_modules (npm scripts put it first on PATH; be explicit for spawned children). */
export const nodeBin = process.execPath;
export const cliBundle = path.join(outDir, 'cli.js');
export const testOutput = path.join(repoRoot, 'test', 'output');
