// Fuzzing the Docker doors that read outside bytes: navi and tldr cheat files, and the Engine API's JSON
// (listings, /version, /_ping, the /events stream, the multiplexed log stream). Arbitrary and mutated inputs
// either give well-formed results or a clear ServiceError; never a TypeError, never unbounded time or memory.
import http from 'node:http';
import type net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cheatFileEntry, containerSummary, engineEvent, logChunk } from '../../../main/docker/contract.ts';
import { ServiceError } from '../../../main/contract/errors.ts';
import { cheatBounds } from '../../../main/docker/cheat-bounds.ts';
import { resolveDockerEndpoint } from '../../../main/docker/endpoint.ts';
import { connectEngine } from '../../../main/docker/engine.ts';
import { parseNavi } from '../../../main/docker/import/navi.ts';
import { parseTldr } from '../../../main/docker/import/tldr.ts';
import { listContainers, listImages, listNetworks, listVolumes } from '../../../main/docker/listings.ts';
import { createDemuxer, createEventSplitter, logFrameCap, parseEvent } from '../../../main/docker/streams.ts';
import { bytes, fuzz, fuzzRuns, fuzzSeed, mutated } from '../../support/fuzz.ts';

/** fuzz() is synchronous; the properties that talk to the fake engine get the same seed and half the budget (each run is HTTP). */
const asyncBudget = { seed: fuzzSeed, numRuns: Math.ceil(fuzzRuns / 2), interruptAfterTimeLimit: 30_000, markInterruptAsFailure: true };

/** Only a ServiceError may escape; anything else (TypeError, RangeError, SyntaxError) is a finding. */
function clearOrNothing(run: () => void): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    expect(error.message.length).toBeGreaterThan(0);
  }
}

const elapsed = (run: () => void) => {
  const started = performance.now();
  run();
  return performance.now() - started;
};

// ---- navi and tldr -------------------------------------------------------------------------------

const naviFile = Buffer.from(`% docker, container

# Open a shell in a container
docker exec -it <container_id> "<shell>"

# Print a container's logs since
docker logs --since <since> \\
  <all_container>

$ container_id: docker ps --format '{{.ID}}\\t{{.Names}}' --- --column 1
$ all_container: docker ps -a --format '{{.Names}}'
; a comment
@ extends
`);

const tldrPage = Buffer.from(`# docker ps

> List Docker containers.

- List all Docker containers:

\`docker ps {{[-a|--all]}}\`

- Show the logs of a container:

\`docker logs "{{container_name}}" {{path/to/file}}\`
`);

/** Lines made of the tokens the parsers react to, so the fuzzer reaches every branch. */
const tokenLines = fc
  .array(
    fc
      .array(
        fc.constantFrom(
          '%',
          '#',
          '$',
          ';',
          '@',
          '- ',
          '`',
          ':',
          ' --- ',
          '<',
          '>',
          '<a_b>',
          '{{',
          '}}',
          '{{[',
          '|',
          ']}}',
          '\\',
          '"',
          "'",
          ' ',
          '\t',
          '\r',
          'docker ps',
          'rm',
          'é',
          '\u0000',
          '-',
        ),
        { maxLength: 40 },
      )
      .map((t) => t.join('')),
    { maxLength: 60 },
  )
  .map((lines) => lines.join('\n'));

const cheatText = fc.oneof(
  fc.string({ maxLength: 2000 }),
  fc.string({ unit: 'binary', maxLength: 2000 }),
  tokenLines,
  mutated(naviFile).map(String),
  mutated(tldrPage).map(String),
  bytes(4096).map(String),
);

describe('navi and tldr parsers under fuzzing', () => {
  for (const [name, parse] of [
    ['navi', parseNavi],
    ['tldr', parseTldr],
  ] as const) {
    it(`${name}: any text gives cheats a cheat file may hold, within the bounds, quickly`, () => {
      fuzz(
        fc.property(cheatText, (text) => {
          let cheats: ReturnType<typeof parse> = [];
          expect(elapsed(() => (cheats = parse(text, 'fuzzed', [])))).toBeLessThan(200);
          for (const cheat of cheats) {
            const parsed = cheatFileEntry.safeParse(cheat);
            expect(parsed.success, JSON.stringify(parsed.error?.issues[0])).toBe(true);
            expect(cheat.template.length).toBeLessThanOrEqual(text.length);
          }
        }),
      );
    });
  }

  it('lines over the cap never reach the patterns, whatever they hold', () => {
    fuzz(
      fc.property(fc.string({ minLength: 1, maxLength: 8 }), fc.constantFrom('$ ', '- a:\n`', '', '% ', '# '), (unit, prefix) => {
        const text = `${prefix}${unit.repeat(Math.ceil((cheatBounds.lineChars + 1) / unit.length))}`;
        const problems: string[] = [];
        expect(elapsed(() => parseNavi(text, 'long', problems) && parseTldr(text, 'long', problems))).toBeLessThan(100);
        expect(problems.length).toBeGreaterThan(0);
      }),
      { runs: 50 },
    );
  });
});

// ---- Engine API JSON -------------------------------------------------------------------------------

/** Arbitrary JSON shaped like the engine's answers: right keys with wrong-typed values, nulls, nesting. */
const engineish = fc.oneof(
  fc.json(),
  fc
    .array(
      fc.record(
        {
          Id: fc.anything(),
          Names: fc.anything(),
          Image: fc.anything(),
          State: fc.anything(),
          Status: fc.anything(),
          Created: fc.anything(),
          Ports: fc.anything(),
          RepoTags: fc.anything(),
          Size: fc.anything(),
          Name: fc.anything(),
          Driver: fc.anything(),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 5 },
    )
    .map((v) => JSON.stringify(v)),
  fc
    .record({ Volumes: fc.anything(), Version: fc.anything(), ApiVersion: fc.anything() }, { requiredKeys: [] })
    .map((v) => JSON.stringify(v)),
);

const validListing = Buffer.from(
  JSON.stringify([
    {
      Id: 'abc',
      Names: ['/web'],
      Image: 'busybox',
      State: 'running',
      Status: 'Up',
      Created: 1,
      Ports: [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }],
      RepoTags: ['busybox:latest'],
      Size: 1,
      Name: 'v',
      Driver: 'local',
    },
  ]),
);
const validVersion = Buffer.from(JSON.stringify({ Version: '27.0.1', ApiVersion: '1.46', Os: 'linux' }));

const engineBody = fc.oneof(
  engineish.map((s) => Buffer.from(s)),
  mutated(validListing),
  mutated(validVersion),
  bytes(2048),
);

describe('Engine API JSON under fuzzing (a fake engine on loopback serves each body)', () => {
  // The fake: /_ping answers as dockerd does unless a fuzzed ping is set; everything else answers `next`.
  let next: { status: number; body: Buffer } = { status: 200, body: Buffer.from('[]') };
  let ping: { status: number; body: Buffer; version: string } | null = null;
  const server = http.createServer((request, response) => {
    if (request.url === '/_ping') {
      const answer = ping ?? { status: 200, body: Buffer.from('OK'), version: '1.45' };
      response.writeHead(answer.status, { 'Api-Version': answer.version }).end(answer.body);
    } else response.writeHead(next.status, { 'Content-Type': 'application/json' }).end(next.body);
  });
  let host = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function clearOrNothingAsync(run: () => Promise<unknown>): Promise<unknown> {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      return null;
    }
  }

  it('listings: a well-formed list, or a ServiceError naming what is wrong', async () => {
    const engine = connectEngine(resolveDockerEndpoint({ DOCKER_HOST: host }));
    await fc.assert(
      fc.asyncProperty(engineBody, fc.constantFrom(200, 200, 200, 404, 500), async (body, status) => {
        next = { status, body };
        const containers = await clearOrNothingAsync(() => listContainers(engine, true));
        if (containers) for (const c of containers as unknown[]) expect(containerSummary.safeParse(c).success).toBe(true);
        const images = await clearOrNothingAsync(() => listImages(engine));
        if (images)
          for (const i of images as { Id: unknown; Size: unknown }[]) expect([typeof i.Id, typeof i.Size]).toEqual(['string', 'number']);
        const volumes = await clearOrNothingAsync(() => listVolumes(engine));
        if (volumes) for (const v of volumes as { Name: unknown }[]) expect(typeof v.Name).toBe('string');
        const networks = await clearOrNothingAsync(() => listNetworks(engine));
        if (networks) for (const n of networks as { Name: unknown }[]) expect(typeof n.Name).toBe('string');
      }),
      asyncBudget,
    );
  }, 60_000);

  it('/_ping and /version: reachable only with OK and an engine-shaped version, else a ServiceError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constant(null),
          fc.record({
            status: fc.constantFrom(200, 400, 404),
            body: fc.oneof(fc.constant(Buffer.from('OK')), bytes(64)),
            version: fc.oneof(
              fc.constant('1.44'),
              fc.string({ maxLength: 10 }).filter((v) => /^[\x21-\x7e]*$/.test(v)),
            ),
          }),
        ),
        engineBody,
        async (fuzzedPing, version) => {
          ping = fuzzedPing;
          next = { status: 200, body: version };
          // A new client each time: the negotiated version is cached per client.
          const probed = (await clearOrNothingAsync(() => connectEngine(resolveDockerEndpoint({ DOCKER_HOST: host })).probe())) as {
            engineVersion: string;
            apiVersion: string;
          } | null;
          if (probed) {
            // Reachable only with OK and the engine's Api-Version header (Doctor said "reachable" without them).
            expect(
              fuzzedPing === null ||
                (fuzzedPing.status === 200 && fuzzedPing.body.toString().trim() === 'OK' && /^\d+\.\d+$/.test(fuzzedPing.version)),
            ).toBe(true);
            expect(typeof probed.engineVersion).toBe('string');
            expect(probed.engineVersion.length).toBeGreaterThan(0);
            expect(probed.apiVersion).toMatch(/^\d+\.\d+$/);
          }
        },
      ),
      asyncBudget,
    );
    ping = null;
  }, 60_000);
});

describe('Engine streams under fuzzing', () => {
  const event = Buffer.from('{"Type":"container","Action":"start","Actor":{"ID":"abc","Attributes":{"name":"web"}},"time":1}\n');

  it('an /events line: a contract event or a ServiceError', () => {
    fuzz(
      fc.property(fc.oneof(engineish, fc.string({ maxLength: 200 }), mutated(event).map(String)), (line) => {
        clearOrNothing(() => expect(engineEvent.safeParse(parseEvent(line)).success).toBe(true));
      }),
    );
  });

  it('/events bytes cut anywhere: contract events or a ServiceError, the buffer never past its cap', () => {
    fuzz(
      fc.property(
        fc.array(fc.oneof(bytes(512), mutated(Buffer.concat([event, event])), fc.constant(event)), { maxLength: 20 }),
        (chunks) => {
          const split = createEventSplitter((e) => expect(engineEvent.safeParse(e).success).toBe(true));
          clearOrNothing(() => chunks.forEach(split));
        },
      ),
    );
  });

  it('log frames: contract chunks or a ServiceError; a header over the frame cap is refused before buffering', () => {
    const frame = (stream: number, text: string) => {
      const payload = Buffer.from(text);
      const header = Buffer.alloc(8);
      header[0] = stream;
      header.writeUInt32BE(payload.length, 4);
      return Buffer.concat([header, payload]);
    };
    const valid = Buffer.concat([frame(1, 'hello\n'), frame(2, 'wörld\n')]);
    fuzz(
      fc.property(fc.array(fc.oneof(bytes(256), mutated(valid)), { maxLength: 10 }), (chunks) => {
        const demux = createDemuxer((c) => expect(logChunk.safeParse(c).success).toBe(true));
        clearOrNothing(() => chunks.forEach(demux));
      }),
    );
    const huge = Buffer.alloc(8);
    huge.writeUInt32BE(logFrameCap + 1, 4);
    expect(() => createDemuxer(() => undefined)(huge)).toThrow(/log frame of 8388609 bytes, more than 8 MB/);
  });
});
