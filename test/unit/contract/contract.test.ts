import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { methodNames, methods, streamNames, streams, type MethodName, type StreamName } from '../../../main/contract/index.ts';
import { ServiceError } from '../../../main/contract/errors.ts';
import { startInProcess } from '../../../main/host/in-process.ts';
import { tempDir } from '../../support/temp-dir.ts';

const home = tempDir();
const { client } = startInProcess({ env: { ...process.env, LANYARD_HOME: home } });

async function rejection(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ServiceError);
    return error as ServiceError;
  }
  throw new Error('expected the call to be rejected');
}

function streamRejection(stream: StreamName, params: unknown): Promise<ServiceError> {
  return new Promise((resolve, reject) => {
    client.subscribe(stream, params as never, {
      next: () => reject(new Error(`${stream} emitted an event for malformed params`)),
      error: resolve,
      complete: () => reject(new Error(`${stream} completed for malformed params`)),
    });
  });
}

describe('the contract', () => {
  it('names every request and stream "<service>.<name>", with no name used twice', () => {
    for (const name of [...methodNames, ...streamNames]) expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
    expect(new Set([...methodNames, ...streamNames]).size).toBe(methodNames.length + streamNames.length);
  });

  it('gives every request and stream a summary and strict object params', () => {
    for (const [name, spec] of [...Object.entries(methods), ...Object.entries(streams)]) {
      expect(spec.summary.length, name).toBeGreaterThan(10);
      expect(spec.params, name).toBeInstanceOf(z.ZodObject);
      expect(spec.params.safeParse({ surelyNotAField: 1 }).success, `${name} must reject unknown fields`).toBe(false);
    }
  });
});

describe('every handler rejects malformed input with an error naming the field', () => {
  const malformed: [string, unknown][] = [
    ['an unknown field', { surelyNotAField: 1 }],
    ['a string', 'not an object'],
    ['a number', 42],
    ['an array', [1, 2]],
  ];
  for (const method of methodNames) {
    for (const [what, params] of malformed) {
      it(`${method} refuses ${what}`, async () => {
        const error = await rejection(client.request(method as MethodName, params as never));
        expect(error.code).toBe('invalid-argument');
        expect(error.field).toMatch(/^params/);
        expect(error.message).toContain(method);
      });
    }
  }
  for (const stream of streamNames) {
    for (const [what, params] of malformed) {
      it(`stream ${stream} refuses ${what}`, async () => {
        const error = await streamRejection(stream, params);
        expect(error.code).toBe('invalid-argument');
        expect(error.field).toMatch(/^params/);
      });
    }
  }

  it('names the nested field that is wrong', async () => {
    const error = await rejection(client.request('doctor.report', { only: [42] } as never));
    expect(error.field).toBe('params.only.0');
    expect(error.message).toMatch(/params\.only\.0/);
  });

  it('answers an unknown method with unknown-method, not a crash', async () => {
    const error = await rejection(client.request('nope.never' as MethodName, {} as never));
    expect(error.code).toBe('unknown-method');
    // The host still works afterwards.
    expect((await client.request('app.info', {})).name).toBe('Lanyard');
  });

  it('results match their declared schema', async () => {
    const info = await client.request('app.info', {});
    expect(methods['app.info'].result.parse(info)).toEqual(info);
    const report = await client.request('doctor.report', { only: ['openssl'] });
    expect(methods['doctor.report'].result.parse(report)).toEqual(report);
  });
});
