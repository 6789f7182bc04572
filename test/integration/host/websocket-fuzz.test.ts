// Fuzzing the WebSocket message path (issue 11, Deliver 7): arbitrary JSON-ish values, envelopes and bytes through a
// real `lanyard serve` socket, and through the host's own message validation. Nothing may crash; every request gets
// an answer (a result, or an error with a code and a short message); everything else is dropped and counted.
import fc from 'fast-check';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ClientMessage, ErrorCode, HostMessage } from '../../../main/contract/wire.ts';
import { createHost } from '../../../main/host/host.ts';
import { channelPair } from '../../../main/host/in-process.ts';
import { socketPath, startServer, type RunningServer } from '../../../main/host/serve/server.ts';
import { createHandlerTable } from '../../../main/host/services.ts';
import { bytes, fuzzRuns, fuzzSeed } from '../../support/fuzz.ts';
import { outDir } from '../../support/paths.ts';
import { tempDir } from '../../support/temp-dir.ts';

const env = { ...process.env, LANYARD_HOME: tempDir(), HOME: tempDir() };
const errorCodes: ErrorCode[] = ['invalid-argument', 'unknown-method', 'not-found', 'unavailable', 'failed', 'cancelled', 'internal'];

// Real names reach the schemas; only ones whose success changes nothing, so the fuzzer cannot open a shell or import.
const safeMethods = ['app.info', 'history.search', 'history.stats', 'certs.list', 'captures.status'];
const safeStreams = ['history.changes'];

/** The shared seed and budget (test/support/fuzz.ts); fuzz() takes sync properties, these are async. */
const fuzzOptions = { seed: fuzzSeed, numRuns: fuzzRuns, interruptAfterTimeLimit: 60_000, markInterruptAsFailure: true };

/** Values a hostile peer might send: anything JSON can hold, envelopes with wrong parts, and real names with junk params. */
const hostileValue = fc.oneof(
  fc.jsonValue(),
  fc.record(
    {
      t: fc.oneof(fc.constantFrom('req', 'sub', 'unsub', 'res', ''), fc.string(), fc.jsonValue()),
      id: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)),
      method: fc.jsonValue(),
      stream: fc.jsonValue(),
      params: fc.jsonValue(),
    },
    { requiredKeys: [] },
  ),
  fc.record({
    t: fc.constant('req'),
    method: fc.oneof(fc.constantFrom(...safeMethods), fc.string({ maxLength: 300 })),
    params: fc.oneof(fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue())),
  }),
  fc.record({ t: fc.constant('sub'), stream: fc.oneof(fc.constantFrom(...safeStreams), fc.string()), params: fc.jsonValue() }),
);

/** The envelope a well-formed request or subscription has; ids are assigned by the test so answers can be matched. */
function withId(value: unknown, id: number): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const v = value as Record<string, unknown>;
  return (v.t === 'req' && typeof v.method === 'string') || (v.t === 'sub' && typeof v.stream === 'string') ? { ...v, id } : value;
}

function isRequest(value: unknown): value is { t: 'req'; id: number } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { t?: unknown }).t === 'req' &&
    Number.isSafeInteger((value as { id?: unknown }).id) &&
    typeof (value as { method?: unknown }).method === 'string'
  );
}

function expectClearAnswer(reply: HostMessage | undefined): void {
  expect(reply).toBeDefined();
  if (reply!.t !== 'res' || reply!.ok) return;
  expect(errorCodes).toContain(reply!.error.code);
  expect(reply!.error.message.length).toBeGreaterThan(0);
  // A sentence, not an echo of whatever the peer sent.
  expect(reply!.error.message.length).toBeLessThan(600);
}

describe("the host's message validation, fuzzed", () => {
  it('never throws, answers every request clearly and counts everything else as dropped', async () => {
    const dropped: string[] = [];
    const host = createHost(createHandlerTable({ transport: 'in-process', env }), () => {}, { dropped: (reason) => dropped.push(reason) });
    const [hostEnd, clientEnd] = channelPair<ClientMessage, HostMessage>();
    const replies = new Map<number, HostMessage>();
    clientEnd.onMessage((m) => replies.set(m.id, m));
    host.connect(hostEnd);
    let nextId = 1;
    await fc.assert(
      fc.asyncProperty(fc.array(hostileValue, { maxLength: 4 }), async (values) => {
        const sent = values.map((v) => withId(v, nextId++));
        const droppedBefore = dropped.length;
        for (const value of sent) expect(() => clientEnd.send(value as ClientMessage)).not.toThrow();
        // Delivery is a microtask; a throw in the host would surface as an unhandled error and fail the file.
        await new Promise((resolve) => setImmediate(resolve));
        for (const request of sent.filter(isRequest)) {
          await expect.poll(() => replies.get(request.id), { timeout: 5000, interval: 5 }).toBeDefined();
          expectClearAnswer(replies.get(request.id));
        }
        const wellFormed = sent.filter((v) => withId(v, 0) !== v).length;
        const unsubs = sent.filter(
          (v) =>
            typeof v === 'object' && v !== null && (v as { t?: unknown }).t === 'unsub' && Number.isSafeInteger((v as { id?: unknown }).id),
        ).length;
        expect(dropped.length - droppedBefore).toBe(sent.length - wellFormed - unsubs);
      }),
      fuzzOptions,
    );
    await host.close();
  }, 120_000);
});

describe('the WebSocket message path of lanyard serve, fuzzed', () => {
  let server: RunningServer;
  let socket: WebSocket;
  const replies = new Map<number, HostMessage>();

  const open = () =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}${socketPath}`, ['lanyard.v1', `lanyard.token.${server.token}`], {
        headers: { Origin: `http://127.0.0.1:${server.port}` },
      });
      ws.on('message', (d) => {
        const m = JSON.parse(String(d)) as HostMessage;
        replies.set(m.id, m);
      });
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });

  beforeAll(async () => {
    server = await startServer({ host: '127.0.0.1', port: 0, rendererDir: path.join(outDir, 'renderer'), env, log: () => {} });
    socket = await open();
  });
  afterAll(() => server.close());

  it('survives arbitrary text, JSON and binary frames, and keeps answering', async () => {
    let nextId = 1;
    const frame = fc.oneof(
      hostileValue.map((v) => ({ kind: 'json' as const, v })),
      fc.string({ maxLength: 2000 }).map((v) => ({ kind: 'text' as const, v })),
      bytes(2000).map((v) => ({ kind: 'binary' as const, v })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { maxLength: 3 }), async (frames) => {
        // A peer past the message rate is cut off (1008) by design; a wider local hunt reconnects and goes on.
        if (socket.readyState !== WebSocket.OPEN) socket = await open();
        const requests: number[] = [];
        for (const f of frames) {
          if (f.kind === 'binary') socket.send(f.v, { binary: true });
          else if (f.kind === 'text') socket.send(f.v);
          else {
            const value = withId(f.v, nextId++);
            if (isRequest(value)) requests.push(value.id);
            socket.send(JSON.stringify(value));
          }
        }
        const probe = nextId++;
        socket.send(JSON.stringify({ t: 'req', id: probe, method: 'app.info', params: {} }));
        for (const id of [...requests, probe]) {
          await expect
            .poll(() => replies.get(id) ?? (socket.readyState === WebSocket.OPEN ? undefined : 'closed'), { timeout: 5000, interval: 5 })
            .toBeDefined();
          if (socket.readyState === WebSocket.OPEN) expectClearAnswer(replies.get(id));
        }
        expect(replies.get(probe)).toMatchObject({ t: 'res', ok: true });
      }),
      fuzzOptions,
    );
    const dropped = server.stats().dropped;
    expect(dropped['not-json'] ?? 0).toBeGreaterThan(0);
    expect(dropped.binary ?? 0).toBeGreaterThan(0);
    expect(dropped.malformed ?? 0).toBeGreaterThan(0);
  }, 120_000);
});
