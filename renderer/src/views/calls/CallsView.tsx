// The call list, polled once a second (the list call returns nothing when nothing changed). A first, plain
// table: the ladder, the stream charts and the filters are the full view's (issue 13, point 5).
import { useEffect, useState } from 'react';
import type { CallsList } from '../../../../main/contract/calls.ts';
import { clockText } from '../../../../main/display/call-ladder.ts';
import { useApi } from '../../api/context.tsx';
import { callsFailedOnlyEvent } from './events.ts';

const failedStates = new Set(['rejected', 'cancelled', 'timed-out']);

export function CallsView() {
  const api = useApi();
  const [list, setList] = useState<CallsList | null>(null);
  const [failedOnly, setFailedOnly] = useState(false);
  useEffect(() => {
    const toggle = () => setFailedOnly((f) => !f);
    window.addEventListener(callsFailedOnlyEvent, toggle);
    return () => window.removeEventListener(callsFailedOnlyEvent, toggle);
  }, []);
  const shown = failedOnly ? list?.calls.filter((c) => failedStates.has(c.state)) : list?.calls;
  useEffect(() => {
    let version: number | undefined;
    let stopped = false;
    const poll = async () => {
      const next = await api.calls.list(version === undefined ? {} : { since: version });
      if (stopped || !next) return;
      version = next.version;
      setList(next);
    };
    void poll();
    const timer = setInterval(() => void poll(), 1000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [api]);
  return (
    <section className="view calls-view">
      <h1>Calls</h1>
      <label>
        <input type="checkbox" checked={failedOnly} onChange={(e) => setFailedOnly(e.target.checked)} /> Failed calls only
      </label>
      <table className="calls-table">
        <thead>
          <tr>
            <th>Time</th>
            <th>Kind</th>
            <th>From</th>
            <th>To</th>
            <th>State</th>
            <th>Codec</th>
            <th>Worst MOS</th>
          </tr>
        </thead>
        <tbody>
          {shown?.map((c) => (
            <tr key={c.id} data-call={c.id} data-state={c.state}>
              <td className="mono">{clockText(c.startUs)}</td>
              <td>{c.kind}</td>
              <td>{c.from}</td>
              <td>{c.to}</td>
              <td>{c.code && c.state !== 'answered' && c.state !== 'completed' ? `${c.state} ${c.code}` : c.state}</td>
              <td>{c.codecs.join(', ')}</td>
              <td>{c.worstMos?.toFixed(2) ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list && list.calls.length === 0 && <p className="muted">No calls yet: open a capture or start a live feed.</p>}
    </section>
  );
}
