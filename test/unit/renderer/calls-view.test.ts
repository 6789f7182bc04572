// The Calls view's plain parts: the list filters, the figures' wording, and the folding of a stream's
// per-second series into a chart's width (worst second kept, so loss shows where it happened).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CallSummary, StreamPoint } from '../../../main/calls/contract.ts';
import { durationText, foldSeries, mosClass, stateText } from '../../../renderer/src/views/calls/figures.ts';
import { filterCalls, noFilter, sourcesOf } from '../../../renderer/src/views/calls/filter.ts';
import { fuzz } from '../../support/fuzz.ts';

const call = (id: string, over: Partial<CallSummary>): CallSummary => ({
  id,
  kind: 'call',
  from: `sip:${id}@a.test`,
  to: 'sip:500@b.test',
  startUs: 0,
  endUs: 0,
  state: 'completed',
  code: 200,
  reason: 'OK',
  ringMs: null,
  answerMs: null,
  durationMs: null,
  hungUpBy: null,
  onHold: false,
  sources: ['file'],
  messageCount: 0,
  retransmissions: 0,
  legs: [],
  codecs: [],
  streams: 0,
  worstMos: null,
  ...over,
});

const calls = [
  call('100', {}),
  call('101', { state: 'rejected', code: 486, sources: ['edge-a'] }),
  call('102', { state: 'cancelled', code: 487, sources: ['edge-b', 'file'] }),
  call('103', { state: 'timed-out', code: null }),
  call('104', { state: 'answered' }),
];
const ids = (list: CallSummary[]) => list.map((c) => c.id);

describe('the call filters', () => {
  it('keeps every call with no filter, and only rejected, cancelled and timed-out with "failed only"', () => {
    expect(ids(filterCalls(calls, noFilter))).toEqual(['100', '101', '102', '103', '104']);
    expect(ids(filterCalls(calls, { ...noFilter, failedOnly: true }))).toEqual(['101', '102', '103']);
  });
  it('matches text in From, To or Call-ID, case-blind, and filters by state and by sensor', () => {
    expect(ids(filterCalls(calls, { ...noFilter, text: ' SIP:102@ ' }))).toEqual(['102']);
    expect(ids(filterCalls(calls, { ...noFilter, text: '500@B' }))).toHaveLength(5);
    expect(ids(filterCalls(calls, { ...noFilter, state: 'answered' }))).toEqual(['104']);
    expect(ids(filterCalls(calls, { ...noFilter, source: 'file' }))).toEqual(['100', '102', '103', '104']);
    expect(ids(filterCalls(calls, { ...noFilter, source: 'edge-a', failedOnly: true }))).toEqual(['101']);
    expect(sourcesOf(calls)).toEqual(['edge-a', 'edge-b', 'file']);
  });
});

describe('the figures', () => {
  it('words states, durations and MOS bands', () => {
    expect(calls.map(stateText)).toEqual(['completed', 'rejected 486', 'cancelled 487', 'timed-out', 'answered']);
    expect([null, 1234, 65_000, 3_723_000].map(durationText)).toEqual(['—', '1.2 s', '1:05', '1:02:03']);
    expect([null, 4.4, 3.7, 2.1].map(mosClass)).toEqual(['', 'mos-good', 'mos-fair', 'mos-poor']);
  });
});

describe('foldSeries', () => {
  const point = (second: number, lost: number): StreamPoint => ({ second, packets: 50, lost, jitterMs: 0 });

  it('keeps one value per second when the series fits, zero where a second is missing', () => {
    expect(foldSeries([point(0, 0), point(1, 25), point(3, 2)], (p) => p.lost, 240)).toEqual([0, 25, 0, 2]);
    expect(foldSeries([], (p) => p.lost, 240)).toEqual([]);
  });

  it('never gives more values than the width, and one lost second anywhere in an hour still shows, in its place', () => {
    fuzz(
      fc.property(fc.integer({ min: 0, max: 3599 }), fc.integer({ min: 1, max: 400 }), (bad, width) => {
        const series = Array.from({ length: 3600 }, (_, s) => point(s, s === bad ? 7 : 0));
        const folded = foldSeries(series, (p) => p.lost, width);
        expect(folded.length).toBe(Math.min(width, 3600));
        expect(folded.filter((v) => v > 0)).toEqual([7]);
        expect(folded.indexOf(7)).toBe(Math.floor((bad * folded.length) / 3600));
      }),
      { runs: 100 },
    );
  });

  it('takes points in any order, with odd seconds, without leaving its buckets', () => {
    fuzz(
      fc.property(
        fc.array(fc.record({ second: fc.integer({ min: -5, max: 100_000 }), lost: fc.integer({ min: -3, max: 1000 }) }), {
          maxLength: 300,
        }),
        fc.integer({ min: 1, max: 500 }),
        (points, width) => {
          const folded = foldSeries(
            points.map((p) => point(p.second, p.lost)),
            (p) => p.lost,
            width,
          );
          expect(folded.length).toBeLessThanOrEqual(width);
          expect(folded.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
          expect(Math.max(0, ...folded)).toBe(Math.max(0, ...points.map((p) => p.lost)));
        },
      ),
    );
  });
});
