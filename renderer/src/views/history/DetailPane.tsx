// The selected run: full command, where and how it ran, and its session neighbours (click one to see it).
import { useEffect, useState } from 'react';
import { formatDuration, oneLine, timeAgo } from '../../../../main/display/history-format.ts';
import type { HistoryRow, RunDetail } from '../../../../main/history/contract.ts';
import { asServiceError } from '../../api/connect.ts';
import { useApi } from '../../api/context.tsx';
import { useNotices } from '../../components/Notices.tsx';
import { ExitBadge } from './ExitBadge.tsx';

export function DetailPane({ runId, count, onPick }: { runId: number | null; count: number | null; onPick: (runId: number) => void }) {
  const api = useApi();
  const notices = useNotices();
  const [detail, setDetail] = useState<RunDetail | null>(null);
  const [gone, setGone] = useState<number[]>([]);

  useEffect(() => {
    if (runId === null) return setDetail(null);
    let live = true;
    api.history.run({ id: runId, neighbours: 6 }).then(
      (d) => live && setDetail(d),
      (error: unknown) => live && notices.showError(asServiceError(error), 'History'),
    );
    return () => {
      live = false;
    };
  }, [api, notices, runId]);

  if (runId === null || !detail || gone.includes(runId))
    return <aside className="history-detail card muted">Select a command to see where and how it ran.</aside>;
  const { run } = detail;
  const copy = () => void navigator.clipboard?.writeText(run.command).then(() => notices.showInfo('Command copied'));
  // A new shell tab in the folder the command ran in, with the command typed into it: it runs as if typed,
  // its output stays, and the shell is there afterwards. The host types it, run by the shell that recorded it
  // when the tab's shell reads it differently. The terminal's code (xterm) loads only when asked for.
  const runInTerminal = async () => {
    try {
      const { terminalStoreFor } = await import('../terminal/useTerminals.ts');
      await terminalStoreFor(api).open({ ...(run.cwd ? { cwd: run.cwd } : {}), input: { command: run.command, shell: run.shell } });
      location.hash = '#/terminal';
    } catch (error) {
      notices.showError(asServiceError(error), 'Running in a terminal');
    }
  };
  const remove = () =>
    api.history.deleteRun({ id: run.runId }).then(
      () => {
        setGone((g) => [...g, run.runId]);
        notices.showInfo('Run deleted');
      },
      (error: unknown) => notices.showError(asServiceError(error), 'Deleting a run'),
    );
  const neighbour = (r: HistoryRow) => (
    <li key={r.runId}>
      <button type="button" className="link-button mono" onClick={() => onPick(r.runId)} title={new Date(r.startedAt).toLocaleString()}>
        <ExitBadge exit={r.exit} /> {oneLine(r.command)}
      </button>
    </li>
  );
  return (
    <aside className="history-detail card" aria-label="Selected run">
      <pre className="history-full mono" data-field="command">
        {run.command}
      </pre>
      <div className="view-actions">
        <button type="button" className="button primary" onClick={() => void runInTerminal()}>
          Run in terminal
        </button>
        <button type="button" className="button" onClick={copy}>
          Copy
        </button>
        <button type="button" className="button" onClick={remove}>
          Delete this run
        </button>
      </div>
      <dl className="history-facts">
        <div>
          <dt>Directory</dt>
          <dd className="mono" data-field="cwd">
            {run.cwd ?? '—'}
          </dd>
        </div>
        <div>
          <dt>Exit</dt>
          <dd data-field="exit">
            <ExitBadge exit={run.exit} />
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>
            {new Date(run.startedAt).toLocaleString()} <span className="muted">({timeAgo(run.startedAt)} ago)</span>
          </dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{formatDuration(run.durationMs)}</dd>
        </div>
        {count !== null && count > 1 && (
          <div>
            <dt>Runs</dt>
            <dd>{count}</dd>
          </div>
        )}
        <div>
          <dt>Where</dt>
          <dd className="mono">
            {[run.user, run.host].filter(Boolean).join('@') || '—'} · {run.shell ?? '—'}
          </dd>
        </div>
        <div>
          <dt>Session</dt>
          <dd className="mono small">{run.session ?? '—'}</dd>
        </div>
      </dl>
      {(detail.before.length > 0 || detail.after.length > 0) && (
        <div className="history-neighbours">
          <h3 className="small muted">Same session, just before and after</h3>
          <ol>
            {detail.before.map(neighbour)}
            <li className="history-this mono" aria-current="true">
              ▸ {oneLine(run.command)}
            </li>
            {detail.after.map(neighbour)}
          </ol>
        </div>
      )}
    </aside>
  );
}
