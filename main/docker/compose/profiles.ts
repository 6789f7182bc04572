// The profiles a Compose file names (`services.<name>.profiles: [...]`), read with the yaml package: the file
// size capped before it is read, aliases capped (no billion laughs), and nesting capped by a linear scan
// before parsing (the parser recurses per level: a few hundred levels exhaust the stack, slowly).
import { parse } from 'yaml';

/** The largest Compose file read (real ones are a few kB). */
export const composeFileCap = 256 * 1024;
/** Flow collections ([ and {) open at once, indentation columns, and "- " / "? " starting one line: real files stay far below. */
export const nestingCaps = { flow: 64, indent: 256, lineIndicators: 32 } as const;

export class ComposeFileTooDeep extends Error {}

/** Refuse text nested deeper than the caps, in one pass (brackets in quoted strings count too: a refusal, never a hang). */
function checkNesting(text: string): void {
  let flow = 0;
  let indent = 0;
  let indicators = 0;
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10) {
      lineStart = true;
      indent = 0;
      indicators = 0;
      continue;
    }
    if (ch === 91 || ch === 123) flow++;
    else if (ch === 93 || ch === 125) flow = Math.max(0, flow - 1);
    if (lineStart) {
      if (ch === 32) indent++;
      else if ((ch === 45 || ch === 63) && text.charCodeAt(i + 1) === 32) {
        indicators++;
        i++;
        indent += 2;
      } else lineStart = false;
    }
    if (flow > nestingCaps.flow || indent > nestingCaps.indent || indicators > nestingCaps.lineIndicators)
      throw new ComposeFileTooDeep(
        `nested deeper than Lanyard reads (${nestingCaps.flow} brackets, ${nestingCaps.indent} columns of indentation); profiles not listed`,
      );
  }
}

/** The profile names in one Compose file's text, sorted; throws (the parser's message) when it is not YAML Lanyard reads. */
export function composeProfiles(text: string): string[] {
  checkNesting(text);
  const doc: unknown = parse(text, { maxAliasCount: 100, uniqueKeys: false });
  if (typeof doc !== 'object' || doc === null) return [];
  const services = (doc as { services?: unknown }).services;
  if (typeof services !== 'object' || services === null) return [];
  const found = new Set<string>();
  for (const service of Object.values(services as Record<string, unknown>)) {
    const profiles = typeof service === 'object' && service !== null ? (service as { profiles?: unknown }).profiles : undefined;
    if (Array.isArray(profiles)) for (const p of profiles) if (typeof p === 'string' && p) found.add(p);
  }
  return [...found].sort();
}
