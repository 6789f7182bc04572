// The profiles a Compose file names (`services.<name>.profiles: [...]`), read with the yaml package: aliases
// capped (no billion laughs), the file size capped before it is read.
import { parse } from 'yaml';

/** The largest Compose file read (real ones are a few kB). */
export const composeFileCap = 1024 * 1024;

/** The profile names in one Compose file's text, sorted; throws with the parser's message when it is not YAML. */
export function composeProfiles(text: string): string[] {
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
