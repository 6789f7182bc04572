// Runs Electronegativity offline on one folder and prints its findings as JSON on stdout.
// Its release and translation look-ups go to the network and fail here; they are excluded or
// ignored, and the process exits as soon as the scan is done so a late retry cannot crash it.
import { createRequire } from 'node:module';
import { repoRoot } from './paths.ts';

interface Finding {
  id: string;
  file: string;
  location: { line: number; column: number };
  sample: string;
  severity: { name: string };
  confidence: { name: string };
}

const require = createRequire(`${repoRoot}/package.json`);
const run = require('@doyensec/electronegativity') as (options: object) => Promise<{ issues: Finding[]; errors: unknown[] }>;
const input = process.argv[2];
if (!input) throw new Error('usage: electronegativity-run.ts <folder>');

const result = await run({
  input,
  output: undefined,
  isSarif: false,
  customScan: [],
  excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
  isRelative: true,
  electronVersion: '45.5.0',
  parserPlugins: [],
});
const findings = result.issues.map((i) => ({
  id: i.id,
  file: i.file,
  line: i.location.line,
  sample: i.sample,
  severity: i.severity.name,
  confidence: i.confidence.name,
}));
process.stdout.write(`${JSON.stringify({ findings, errors: result.errors.length })}\n`);
process.exit(0);
