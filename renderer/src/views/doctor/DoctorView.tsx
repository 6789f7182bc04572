import { useEffect } from 'react';
import type { CheckStatus, ToolCheck } from '../../../../main/contract/index.ts';
import { useNotices } from '../../components/Notices.tsx';
import { InstallHint } from './InstallHint.tsx';
import { useDoctorRun } from './useDoctorRun.ts';
import { doctorRerunEvent, doctorCopyEvent } from './events.ts';
import { ProgressBar } from '../../components/ProgressBar.tsx';
import { CommandCard } from './CommandCard.tsx';

const statusLabel: Record<CheckStatus, string> = { ok: 'OK', warn: 'Attention', missing: 'Missing', error: 'Error' };

function Status({ status }: { status: CheckStatus | 'pending' | 'stopped' }) {
  if (status === 'pending')
    return (
      <span className="badge badge-pending">
        <span className="spinner" aria-hidden="true" /> Checking
      </span>
    );
  if (status === 'stopped') return <span className="badge badge-pending">Not checked</span>;
  return <span className={`badge badge-${status}`}>{statusLabel[status]}</span>;
}

function ToolRow({ tool }: { tool: ToolCheck }) {
  return (
    <tr data-tool={tool.id} data-status={tool.status}>
      <td className="col-status">
        <Status status={tool.status} />
      </td>
      <td className="col-name">
        <div className="tool-name">{tool.name}</div>
        <div className="muted small">{tool.purpose}</div>
      </td>
      <td className="col-version mono">{tool.version ?? '—'}</td>
      <td className="col-detail">
        <div>{tool.detail}</div>
        {tool.facts.length > 0 && (
          <dl className="facts">
            {tool.facts.map((f) => (
              <div key={f.label}>
                <dt>{f.label}</dt>
                <dd className="mono">{f.value}</dd>
              </div>
            ))}
          </dl>
        )}
        {tool.hint && <InstallHint hint={tool.hint} />}
      </td>
    </tr>
  );
}

export function DoctorView() {
  const run = useDoctorRun();
  const notices = useNotices();
  const { report } = run;

  useEffect(() => {
    if (run.error) notices.showError(run.error, 'Doctor');
  }, [run.error, notices]);

  useEffect(() => {
    const rerun = () => run.rerun();
    const copy = () => {
      if (!report) return notices.showInfo('The report is not ready yet.');
      void navigator.clipboard?.writeText(JSON.stringify(report, null, 2)).then(() => notices.showInfo('Doctor report copied as JSON'));
    };
    window.addEventListener(doctorRerunEvent, rerun);
    window.addEventListener(doctorCopyEvent, copy);
    return () => {
      window.removeEventListener(doctorRerunEvent, rerun);
      window.removeEventListener(doctorCopyEvent, copy);
    };
  }, [run, report, notices]);

  const done = run.checks.length;
  const total = run.pending.length || done;
  const counts = run.checks.reduce<Record<CheckStatus, number>>((acc, c) => ({ ...acc, [c.status]: acc[c.status] + 1 }), {
    ok: 0,
    warn: 0,
    missing: 0,
    error: 0,
  });

  return (
    <section className="view" aria-labelledby="doctor-title">
      <header className="view-header">
        <div>
          <h1 id="doctor-title">Doctor</h1>
          <p className="muted">What Lanyard found on this machine, and what to install for the rest.</p>
        </div>
        <div className="view-actions">
          <button type="button" className="button" onClick={() => window.dispatchEvent(new Event(doctorCopyEvent))} disabled={!report}>
            Copy as JSON
          </button>
          <button type="button" className="button primary" onClick={run.rerun} disabled={run.running}>
            {run.running ? 'Checking…' : 'Run again'}
          </button>
        </div>
      </header>

      <ProgressBar label="Checks done" done={done} total={total} running={run.running} />
      <p className="summary" aria-live="polite">
        {run.running
          ? `Checking… ${done} of ${total}`
          : run.error
            ? `The checks could not finish: ${run.error.message}`
            : `${counts.ok} OK · ${counts.warn} need attention · ${counts.missing + counts.error} missing`}
      </p>

      <div className="card">
        <h2>Lanyard</h2>
        {report ? (
          <dl className="versions">
            <div>
              <dt>App</dt>
              <dd className="mono" data-field="app">
                {report.versions.app}
              </dd>
            </div>
            <div>
              <dt>Node</dt>
              <dd className="mono" data-field="node">
                {report.versions.node}
              </dd>
            </div>
            <div>
              <dt>Electron</dt>
              <dd className="mono" data-field="electron">
                {report.versions.electron ?? 'not running in Electron'}
              </dd>
            </div>
            <div>
              <dt>SQLite</dt>
              <dd className="mono" data-field="sqlite">
                {report.versions.sqlite ?? 'unavailable'}
              </dd>
            </div>
            <div>
              <dt>Platform</dt>
              <dd className="mono">{report.versions.platform}</dd>
            </div>
            <div className="wide">
              <dt>Data folder</dt>
              <dd>
                <span className="mono" data-field="data-dir">
                  {report.dataDir.path}
                </span>{' '}
                <Status status={report.dataDir.status} /> <span className="muted">{report.dataDir.detail}</span>
              </dd>
            </div>
          </dl>
        ) : (
          <p className="muted">Reading versions…</p>
        )}
      </div>

      <CommandCard />

      {run.groups.map((group) => {
        const order = (id: string) => run.pending.findIndex((p) => p.id === id);
        const finished = run.checks.filter((c) => c.group === group.id).sort((a, b) => order(a.id) - order(b.id));
        const waiting = run.pending.filter((p) => p.group === group.id && !finished.some((c) => c.id === p.id));
        if (finished.length === 0 && waiting.length === 0) return null;
        return (
          <div className="card" key={group.id}>
            <h2>{group.title}</h2>
            <p className="muted small">{group.blurb}</p>
            <table className="tools">
              <thead>
                <tr>
                  <th className="col-status">Status</th>
                  <th>Tool</th>
                  <th>Version</th>
                  <th>Details</th>
                </tr>
              </thead>
              <tbody>
                {finished.map((tool) => (
                  <ToolRow key={tool.id} tool={tool} />
                ))}
                {waiting.map((p) => (
                  <tr key={p.id} data-tool={p.id} data-status={run.running ? 'pending' : 'stopped'}>
                    <td className="col-status">
                      <Status status={run.running ? 'pending' : 'stopped'} />
                    </td>
                    <td className="col-name">
                      <div className="tool-name">{p.name}</div>
                    </td>
                    <td className="col-version">…</td>
                    <td />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      })}
    </section>
  );
}
