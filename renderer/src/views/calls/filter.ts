// The call list's filters, kept apart from the view so they are plain functions: text (number, URI, Call-ID),
// state, failed only, source (sensor or HEP agent).
import type { CallState, CallSummary } from '../../../../main/calls/contract.ts';

export interface CallFilter {
  text: string;
  state: CallState | '';
  failedOnly: boolean;
  source: string;
}

export const noFilter: CallFilter = { text: '', state: '', failedOnly: false, source: '' };

const failedStates: ReadonlySet<CallState> = new Set(['rejected', 'cancelled', 'timed-out']);

export function isFailed(call: CallSummary): boolean {
  return failedStates.has(call.state);
}

export function filterCalls(calls: readonly CallSummary[], f: CallFilter): CallSummary[] {
  const text = f.text.trim().toLowerCase();
  return calls.filter(
    (c) =>
      (!f.failedOnly || isFailed(c)) &&
      (!f.state || c.state === f.state) &&
      (!f.source || c.sources.includes(f.source)) &&
      (!text || c.from.toLowerCase().includes(text) || c.to.toLowerCase().includes(text) || c.id.toLowerCase().includes(text)),
  );
}

/** Every source named by any call, sorted, for the sensor filter. */
export function sourcesOf(calls: readonly CallSummary[]): string[] {
  const all = new Set<string>();
  for (const c of calls) for (const s of c.sources) all.add(s);
  return [...all].sort();
}
