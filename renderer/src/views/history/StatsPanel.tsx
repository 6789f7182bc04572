// Stats: a calendar heatmap of runs per day over the last year, top programs and commands, failure rate,
// busiest directories.
import { useEffect, useState } from 'react';
import { oneLine, shortPath } from '../../../../main/display/history-format.ts';
import type { HistoryStats } from '../../../../main/history/contract.ts';
import { asServiceError } from '../../api/connect.ts';
import { useApi } from '../../api/context.tsx';
import { useNotices } from '../../components/Notices.tsx';

const dayKey = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

function Heatmap({ perDay }: { perDay: HistoryStats['perDay'] }) {
  const counts = new Map(perDay.map((d) => [d.day, d.runs]));
  const max = Math.max(1, ...perDay.map((d) => d.runs));
  const today = new Date();
  const start = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 364 - today.getDay());
  const cells: { key: string; x: number; y: number; runs: number; label: string }[] = [];
  for (let i = 0; ; i++) {
    const d = new Date(start.getFullYear(), start.getMonth(), start.getDate() + i);
    if (d > today) break;
    const key = dayKey(d);
    const runs = counts.get(key) ?? 0;
    cells.push({ key, x: Math.floor(i / 7), y: d.getDay(), runs, label: `${key}: ${runs} runs` });
  }
  const weeks = (cells.at(-1)?.x ?? 0) + 1;
  const level = (runs: number) => (runs === 0 ? 0 : Math.min(4, 1 + Math.floor((4 * Math.sqrt(runs)) / Math.sqrt(max + 1))));
  return (
    <svg className="history-heatmap" viewBox={`0 0 ${weeks * 12} ${7 * 12}`} role="img" aria-label="Runs per day over the last year">
      {cells.map((c) => (
        <rect key={c.key} x={c.x * 12} y={c.y * 12} width={10} height={10} rx={2} className={`heat-${level(c.runs)}`} data-day={c.key}>
          <title>{c.label}</title>
        </rect>
      ))}
    </svg>
  );
}

function Bars({ items }: { items: { label: string; runs: number; mono?: boolean }[] }) {
  const max = Math.max(1, ...items.map((i) => i.runs));
  return (
    <ol className="history-bars">
      {items.map((i) => (
        <li key={i.label}>
          <span className={`history-bar-label ${i.mono ? 'mono' : ''}`} title={i.label}>
            {i.label}
          </span>
          <span className="history-bar" style={{ width: `${(100 * i.runs) / max}%` }} />
          <span className="muted small">{i.runs}</span>
        </li>
      ))}
    </ol>
  );
}

export function StatsPanel({ home }: { home: string | null }) {
  const api = useApi();
  const notices = useNotices();
  const [stats, setStats] = useState<HistoryStats | null>(null);

  useEffect(() => {
    api.history.stats({ days: 365, top: 10 }).then(setStats, (error: unknown) => notices.showError(asServiceError(error), 'History stats'));
  }, [api, notices]);

  if (!stats) return <p className="muted">Counting…</p>;
  const rate = stats.withExit ? (100 * stats.failed) / stats.withExit : 0;
  return (
    <div className="history-stats">
      <div className="history-kpis">
        <div className="card">
          <div className="kpi">{stats.runs.toLocaleString()}</div>
          <div className="muted small">runs</div>
        </div>
        <div className="card">
          <div className="kpi">{stats.commands.toLocaleString()}</div>
          <div className="muted small">distinct commands</div>
        </div>
        <div className="card">
          <div className="kpi">{stats.sessions.toLocaleString()}</div>
          <div className="muted small">sessions</div>
        </div>
        <div className="card">
          <div className="kpi" data-field="failure-rate">
            {rate.toFixed(1)}%
          </div>
          <div className="muted small">failed (of {stats.withExit.toLocaleString()} with an exit status, last year)</div>
        </div>
        <div className="card">
          <div className="kpi">{(stats.dbBytes / 1e6).toFixed(1)} MB</div>
          <div className="muted small">database</div>
        </div>
      </div>
      <div className="card">
        <h2>Commands per day</h2>
        <Heatmap perDay={stats.perDay} />
      </div>
      <div className="history-stat-grid">
        <div className="card">
          <h2>Top programs</h2>
          <Bars items={stats.topPrograms.map((p) => ({ label: p.program || '(blank)', runs: p.runs, mono: true }))} />
        </div>
        <div className="card">
          <h2>Top commands</h2>
          <Bars items={stats.topCommands.map((c) => ({ label: oneLine(c.command), runs: c.runs, mono: true }))} />
        </div>
        <div className="card">
          <h2>Busiest directories</h2>
          <Bars items={stats.busiestDirs.map((d) => ({ label: shortPath(d.cwd, home, 40), runs: d.runs, mono: true }))} />
        </div>
      </div>
    </div>
  );
}
