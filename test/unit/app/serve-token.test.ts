// The page's reading of `#token=T[#/route]` (renderer/src/api/serve-token.ts): the token out, the route kept.
import { describe, expect, it } from 'vitest';
import { splitFragment } from '../../../renderer/src/api/serve-token.ts';

describe('the serve token in the URL fragment', () => {
  it('takes the token and keeps a route that follows it', () => {
    expect(splitFragment('#token=abc_D-9')).toEqual({ token: 'abc_D-9', route: '' });
    expect(splitFragment('#token=abc#/docker')).toEqual({ token: 'abc', route: '#/docker' });
  });

  it('ignores fragments that are routes, empty tokens, and drops anything that is not a route after the token', () => {
    expect(splitFragment('#/history')).toBeNull();
    expect(splitFragment('#token=')).toBeNull();
    expect(splitFragment('#token=abc<script>')).toEqual({ token: 'abc', route: '' });
  });

  it('is linear on a hostile fragment', () => {
    const started = performance.now();
    expect(splitFragment(`#token=${'a'.repeat(1_000_000)}!`)?.token).toHaveLength(1_000_000);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
