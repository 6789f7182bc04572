import { describe, expect, it } from 'vitest';
import { timeLeft } from '../../../main/display/time-left.ts';

const now = Date.parse('2026-12-07T12:00:00Z');
const at = (hours: number) => new Date(now + hours * 3_600_000).toISOString();

describe('timeLeft', () => {
  it('says revoked before anything else', () => {
    expect(timeLeft(at(500), '2026-12-01T00:00:00Z', now)).toEqual({ text: 'revoked', tone: 'error' });
  });
  it('counts hours under a day, and days (singular once) above', () => {
    expect(timeLeft(at(0.5), null, now)).toEqual({ text: '0 h', tone: 'warn' });
    expect(timeLeft(at(23.9), null, now)).toEqual({ text: '23 h', tone: 'warn' });
    expect(timeLeft(at(24), null, now)).toEqual({ text: '1 day', tone: 'warn' });
    expect(timeLeft(at(14 * 24 + 1), null, now)).toEqual({ text: '14 days', tone: 'warn' });
    expect(timeLeft(at(15 * 24), null, now)).toEqual({ text: '15 days', tone: 'ok' });
  });
  it('says how long ago an expired one ended', () => {
    expect(timeLeft(at(-0.2), null, now)).toEqual({ text: 'expired 1 h ago', tone: 'error' });
    expect(timeLeft(at(-5), null, now)).toEqual({ text: 'expired 5 h ago', tone: 'error' });
    expect(timeLeft(at(-49), null, now)).toEqual({ text: 'expired 2d ago', tone: 'error' });
  });
});
