// Shared by the navi and tldr importers: turning foreign placeholder names into ours, guessing their kind.
import type { Placeholder } from '../contract.ts';

/** `text` without its trailing dashes (a loop: `/-+$/` backtracks quadratically over a long run of dashes). */
export function trimDashes(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === '-') end--;
  return text.slice(0, end);
}

/** A foreign name (container_id, path/to/file) as one of ours (container-id, path-to-file). */
export function slugName(raw: string): string {
  const slug = trimDashes(
    raw
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-')
      .replace(/^[^a-z]+/, ''),
  );
  return slug || 'value';
}

export function slugId(raw: string): string {
  return (
    trimDashes(
      raw
        .toLowerCase()
        .replace(/[^a-z0-9.-]+/g, '-')
        .replace(/^[^a-z0-9]+/, ''),
    ) || 'cheat'
  );
}

/** The kind a docker listing command yields (navi's `$ name: docker ps …` lines). */
export function kindFromListing(command: string): Pick<Placeholder, 'kind' | 'state'> | null {
  const c = command.replace(/\s+/g, ' ');
  if (/\bdocker (ps|container (ls|list|ps))\b/.test(c)) return { kind: 'container', state: /\s(-a|--all)\b/.test(c) ? 'any' : 'running' };
  if (/\bdocker (images|image (ls|list))\b/.test(c)) return { kind: 'image' };
  if (/\bdocker volume (ls|list)\b/.test(c)) return { kind: 'volume' };
  if (/\bdocker network (ls|list)\b/.test(c)) return { kind: 'network' };
  if (/\bdocker context (ls|list)\b/.test(c)) return { kind: 'context' };
  return null;
}

/** The kind a placeholder's own words suggest (tldr's `{{container_name}}`). */
export function kindFromName(name: string): Pick<Placeholder, 'kind' | 'state'> {
  if (/container/.test(name)) return { kind: 'container', state: 'any' };
  if (/image/.test(name)) return { kind: 'image' };
  if (/volume/.test(name)) return { kind: 'volume' };
  if (/network/.test(name)) return { kind: 'network' };
  if (/path|file|directory|folder/.test(name)) return { kind: 'path' };
  if (/port/.test(name)) return { kind: 'port' };
  return { kind: 'text' };
}

/** Quotes wrapped around a lone placeholder add nothing once values are quoted for us: drop them. */
export function unquotePlaceholders(template: string): string {
  return template.replace(/(["'])(<[a-z][a-z0-9_-]*>)\1/g, '$2');
}
