// How a call's figures are shown: state, duration, MOS band, and a stream's per-second series folded to a chart.
import type { CallSummary, StreamPoint } from '../../../../main/calls/contract.ts';

/** "rejected 486", "answered"… */
export function stateText(c: CallSummary): string {
  return c.code && c.state !== 'answered' && c.state !== 'completed' ? `${c.state} ${c.code}` : c.state;
}

/** "1:02:03", "4:05" or "12.3 s" from ms. */
export function durationText(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60];
  return (hms[0] ? hms : hms.slice(1)).map((n, i) => (i === 0 ? String(n) : String(n).padStart(2, '0'))).join(':');
}

/** ITU-T G.107 bands: 4.0+ good, 3.6+ fair, below that poor. */
export function mosClass(mos: number | null): string {
  if (mos === null) return '';
  return mos >= 4 ? 'mos-good' : mos >= 3.6 ? 'mos-fair' : 'mos-poor';
}

/**
 * The series folded into at most `width` buckets by second, each keeping its worst value (so one bad second in
 * an hour still shows). Seconds missing from the series count as 0; the order of the points does not matter.
 */
export function foldSeries(series: readonly StreamPoint[], pick: (p: StreamPoint) => number, width: number): number[] {
  if (series.length === 0) return [];
  let last = 0;
  for (const p of series) last = Math.max(last, p.second);
  const seconds = Math.floor(last) + 1;
  const buckets = Math.max(1, Math.min(width, seconds));
  const out = new Array<number>(buckets).fill(0);
  for (const p of series) {
    const b = Math.max(0, Math.min(buckets - 1, Math.floor((p.second * buckets) / seconds)));
    out[b] = Math.max(out[b]!, pick(p));
  }
  return out;
}
