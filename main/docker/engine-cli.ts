// The CLI a cheat runs with, for the engine in use: `docker` pointed at it (DOCKER_HOST / DOCKER_CONTEXT, and
// the TLS material), or `podman` where the engine is Podman (CONTAINER_HOST). The template is rewritten before it
// is read and quoted, so a Podman cheat goes through exactly the same template path as a Docker one.
import type { DockerEndpoint } from './endpoint.ts';
import type { EngineFlavour } from './engine.ts';

/** The variables that point a terminal's docker (or podman) command at this engine; undefined removes one. */
export function cliEnvironment(endpoint: DockerEndpoint, flavour: EngineFlavour): Record<string, string | undefined> {
  if (flavour === 'podman') return { CONTAINER_HOST: endpoint.host, CONTAINER_CONNECTION: undefined };
  const unset = { DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined, DOCKER_TLS_VERIFY: undefined, DOCKER_TLS: undefined };
  // A context carries its own TLS material and ssh settings: name it rather than unpacking it.
  if (endpoint.context && endpoint.source !== 'flag') return { ...unset, DOCKER_CONTEXT: endpoint.context };
  const tls = endpoint.tls
    ? { [endpoint.tls.required ? 'DOCKER_TLS_VERIFY' : 'DOCKER_TLS']: '1', DOCKER_CERT_PATH: endpoint.tls.dir }
    : { DOCKER_CERT_PATH: undefined };
  return { ...unset, DOCKER_HOST: endpoint.host, ...tls };
}

/** A cheat runs `docker compose` on a Podman engine, and no compose tool is installed to run it with. */
export class NoComposeTool extends Error {}

/** Where the word `compose` ends when it is the next word after `from` (blanks between), else -1. */
function composeWordEnd(template: string, from: number): number {
  let i = from;
  while (i < template.length && blank(template[i]!)) i++;
  if (i === from || !template.startsWith('compose', i)) return -1;
  const end = i + 'compose'.length;
  const after = template[end];
  return after === undefined || blank(after) || separators.has(after) ? end : -1;
}

/** Words that run the next word as a command: `docker` after them (and their options) is still the program. */
const runners = new Set(['sudo', 'xargs', 'watch', 'time', 'exec', 'nohup', 'command', 'env']);
const separators = new Set([';', '&', '|', '(', ')', '\n', '`']);
const blank = (c: string) => c === ' ' || c === '\t';

/**
 * The template with each `docker` that is a command's program (first word, or after sudo/xargs/watch… and
 * their options) written as `podman`. One pass; quoted text and arguments (`docker network create docker`)
 * are left alone. Podman 4.3 has no `podman compose`: `docker compose` becomes `compose`, the user's compose
 * tool pointed at the Podman socket (compose/cli.ts), or throws NoComposeTool when there is none (null). On
 * Docker, `compose` is the tool to use where the `docker compose` plugin is not installed (Debian 12's
 * docker-compose), and `docker` stays `docker`.
 */
export function templateForEngine(template: string, flavour: EngineFlavour, compose: string | null = null): string {
  // Docker with the `docker compose` plugin (null): as written. Without it, `compose` is the tool there is.
  if (flavour === 'docker' && compose === null) return template;
  let out = '';
  let commandPosition = true;
  let quote: string | null = null;
  let i = 0;
  while (i < template.length) {
    const c = template[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') {
        out += template.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (c === quote) quote = null;
      out += c;
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      commandPosition = false;
      out += c;
      i++;
      continue;
    }
    if (separators.has(c) || (c === '$' && template[i + 1] === '(')) {
      commandPosition = true;
      out += c;
      i++;
      continue;
    }
    if (blank(c)) {
      out += c;
      i++;
      continue;
    }
    // A word: up to a blank, a separator or a quote.
    let end = i;
    while (
      end < template.length &&
      !blank(template[end]!) &&
      !separators.has(template[end]!) &&
      template[end] !== "'" &&
      template[end] !== '"'
    )
      end++;
    const word = template.slice(i, end);
    const composeEnd = commandPosition && word === 'docker' ? composeWordEnd(template, end) : -1;
    if (composeEnd > 0) {
      if (compose === null) throw new NoComposeTool('docker compose');
      out += compose;
      commandPosition = false;
      end = composeEnd;
    } else if (commandPosition && word === 'docker') {
      out += flavour;
      commandPosition = false;
    } else {
      out += word;
      // A runner keeps the position for the word after it; its options (-r, -n 1) do too.
      commandPosition = commandPosition && (runners.has(word) || word.startsWith('-') || /^\d+$/.test(word) || /^[A-Za-z_]\w*=/.test(word));
    }
    i = end;
  }
  return out;
}
