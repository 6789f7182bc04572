// Deliver 4 of issue 11: no regular expression in main/ has a super-linear worst case. Every regex literal and
// every RegExp built from a literal pattern is found with the TypeScript parser (whatever main/ holds when the
// test runs, so later code is covered too), compiled with its flags, and run in a worker against ~1 MB inputs
// made from its own source (runs of each character or class it mentions, alternations of two, its literal
// prefix then a run, each ending in a character that forces a failure). Each must finish within 50 ms.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { tokenShapes } from '../../../main/history/secret-scan.ts';
import type { Probe, ProbeReport } from './regex-probe.ts';

const mainDir = path.resolve(import.meta.dirname, '../../../main');
/** The bound per input. 1 MB through a linear pattern takes a few ms; a super-linear one takes seconds or never ends. */
const boundMs = 50;
/** A pattern still on one input after this long is stopped and reported as never finishing. */
const stalledMs = 5000;

interface Found extends Probe {
  where: string;
}

/**
 * Patterns only ever applied to input of bounded length: the bound, and where it is enforced. Each entry must
 * still be found in main/ (a stale entry fails the test).
 */
const allowed: Record<string, string> = {};

/** Regex literals and `RegExp(literal, literal?)` calls in every .ts file under main/. */
function findPatterns(): Found[] {
  const found: Found[] = [];
  const files = (readdirSync(mainDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).sort();
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(path.join(mainDir, file), 'utf8'), ts.ScriptTarget.Latest, true);
    const where = (node: ts.Node) => `main/${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const visit = (node: ts.Node): void => {
      if (ts.isRegularExpressionLiteral(node)) {
        const text = node.text;
        const slash = text.lastIndexOf('/');
        found.push({ id: found.length, source: text.slice(1, slash), flags: text.slice(slash + 1), where: where(node) });
      } else if (
        (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === 'RegExp'
      ) {
        const [pattern, flags] = node.arguments ?? [];
        const literal = (n: ts.Node | undefined) =>
          n && (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) ? n.text : undefined;
        const text = literal(pattern);
        if (text !== undefined) found.push({ id: found.length, source: text, flags: literal(flags) ?? '', where: where(node) });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  // Built from data rather than a literal, and run over every stored command: secret-scan.ts compiles these with 'g'.
  for (const shape of tokenShapes)
    found.push({ id: found.length, source: shape.source, flags: 'g', where: `main/history/secret-scan.ts tokenShapes ${shape.id}` });
  return found;
}

/** Runs the probes in workers, one after another; a worker stuck on a pattern is stopped and the next one goes on. */
type Outcome = Exclude<ProbeReport, { kind: 'start' }> | { id: number; kind: 'stalled' };

async function probeAll(probes: Found[]): Promise<Map<number, Outcome>> {
  const reports = new Map<number, Outcome>();
  let rest = probes;
  while (rest.length > 0) {
    const batch = rest;
    let current: number | null = null;
    await new Promise<void>((resolve, reject) => {
      const worker = new Worker(new URL('./regex-probe.ts', import.meta.url));
      let watchdog: NodeJS.Timeout | undefined;
      const arm = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => {
          if (current !== null) reports.set(current, { id: current, kind: 'stalled' });
          void worker.terminate();
        }, stalledMs);
      };
      worker.on('message', (r: ProbeReport) => {
        if (r.kind === 'start') current = r.id;
        else {
          reports.set(r.id, r);
          current = null;
        }
        arm();
      });
      worker.on('error', reject);
      worker.on('exit', () => {
        clearTimeout(watchdog);
        resolve();
      });
      arm();
      worker.postMessage(batch.map(({ id, source, flags }) => ({ id, source, flags })));
    });
    rest = batch.filter((p) => !reports.has(p.id));
  }
  return reports;
}

describe('every regular expression in main/ runs in linear time', () => {
  const patterns = findPatterns();

  it('finds the patterns (literals and RegExp with a literal source)', () => {
    expect(patterns.length).toBeGreaterThan(100);
    for (const key of Object.keys(allowed))
      expect(
        patterns.some((p) => `${p.source}` === key),
        `allow-listed pattern no longer in main/: ${key}`,
      ).toBe(true);
  });

  it(`runs each over ~1 MB adversarial inputs within ${boundMs} ms`, { timeout: 600_000 }, async () => {
    const checked = patterns.filter((p) => allowed[p.source] === undefined);
    const reports = await probeAll(checked);
    const slow: string[] = [];
    for (const p of checked) {
      const r = reports.get(p.id)!;
      if (r.kind === 'stalled') slow.push(`${p.where} /${p.source}/${p.flags}: did not finish in ${stalledMs} ms`);
      else if (r.kind === 'error') slow.push(`${p.where} /${p.source}/${p.flags}: does not compile: ${r.message}`);
      else if (r.worstMs > boundMs) slow.push(`${p.where} /${p.source}/${p.flags}: ${r.worstMs.toFixed(0)} ms on ${r.input}`);
    }
    expect(slow).toEqual([]);
  });
});
