// Search: the filter bar, a virtualised result list (keyboard-driven from the search field) and the detail pane.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { oneLine, shortPath, timeAgo } from '../../../../main/display/history-format.ts';
import type { HistoryRow, SearchMode, SearchQueryInput } from '../../../../main/history/contract.ts';
import { DetailPane } from './DetailPane.tsx';
import { ExitBadge } from './ExitBadge.tsx';
import { useHistorySearch } from './useHistorySearch.ts';

const ranges = [
  { id: 'any', label: 'Any time', ms: 0 },
  { id: '1h', label: 'Last hour', ms: 3.6e6 },
  { id: '1d', label: 'Last day', ms: 8.64e7 },
  { id: '1w', label: 'Last week', ms: 6.048e8 },
  { id: '30d', label: 'Last 30 days', ms: 2.592e9 },
  { id: '1y', label: 'Last year', ms: 3.1536e10 },
] as const;

export function SearchPanel({ home }: { home: string | null }) {
  const [text, setText] = useState('');
  const [mode, setMode] = useState<SearchMode>('substring');
  const [group, setGroup] = useState<'command' | 'run'>('command');
  const [exit, setExit] = useState<'any' | 'ok' | 'failed'>('any');
  const [cwd, setCwd] = useState('');
  const [host, setHost] = useState('');
  const [shell, setShell] = useState('');
  const [range, setRange] = useState<(typeof ranges)[number]['id']>('any');
  const [limit, setLimit] = useState(1000);
  const [selected, setSelected] = useState(0);
  const [pinnedRun, setPinnedRun] = useState<number | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);

  // Rounded to the minute so a time range does not change (and re-query) on every render.
  const since = useMemo(() => {
    const ms = ranges.find((r) => r.id === range)!.ms;
    return ms ? Math.floor((Date.now() - ms) / 60_000) * 60_000 : undefined;
  }, [range]);

  const query: SearchQueryInput = { query: text, mode, group, limit };
  if (exit !== 'any') query.exit = exit;
  if (cwd.trim()) query.cwd = cwd.trim();
  if (host.trim()) query.host = host.trim();
  if (shell) query.shell = shell;
  if (since !== undefined) query.since = since;
  const { result, loading } = useHistorySearch(query);
  const rows = result?.rows ?? [];

  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    setSelected(0);
    setPinnedRun(null);
  }, [text, mode, group, exit, cwd, host, shell, range]);

  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => listRef.current, estimateSize: () => 28, overscan: 12 });
  const current: HistoryRow | undefined = rows[Math.min(selected, rows.length - 1)];

  const move = (to: number) => {
    const next = Math.max(0, Math.min(rows.length - 1, to));
    setSelected(next);
    setPinnedRun(null);
    virtual.scrollToIndex(next, { align: 'auto' });
  };
  const onKey = (event: KeyboardEvent) => {
    const page = Math.max(1, Math.floor((listRef.current?.clientHeight ?? 280) / 28) - 1);
    const moves: Record<string, number> = {
      ArrowDown: selected + 1,
      ArrowUp: selected - 1,
      PageDown: selected + page,
      PageUp: selected - page,
    };
    if (event.key in moves) {
      event.preventDefault();
      move(moves[event.key]!);
    } else if (event.key === 'Escape' && text) {
      event.preventDefault();
      setText('');
    }
  };

  return (
    <div className="history-search">
      <div className="history-filters" role="search">
        <input
          ref={input}
          className="history-query mono"
          type="search"
          placeholder="Search every command… (↑↓ to move)"
          aria-label="Search history"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKey}
          spellCheck={false}
          autoComplete="off"
        />
        <select aria-label="Match" value={mode} onChange={(e) => setMode(e.target.value as SearchMode)}>
          <option value="substring">contains</option>
          <option value="prefix">starts with</option>
          <option value="fuzzy">fuzzy</option>
        </select>
        <select aria-label="Show" value={group} onChange={(e) => setGroup(e.target.value as 'command' | 'run')}>
          <option value="command">one row per command</option>
          <option value="run">every run</option>
        </select>
        <select aria-label="Exit status" value={exit} onChange={(e) => setExit(e.target.value as 'any' | 'ok' | 'failed')}>
          <option value="any">any exit</option>
          <option value="ok">succeeded</option>
          <option value="failed">failed</option>
        </select>
        <select aria-label="Time" value={range} onChange={(e) => setRange(e.target.value as typeof range)}>
          {ranges.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label}
            </option>
          ))}
        </select>
        <select aria-label="Shell" value={shell} onChange={(e) => setShell(e.target.value)}>
          <option value="">any shell</option>
          <option value="bash">bash</option>
          <option value="zsh">zsh</option>
          <option value="fish">fish</option>
        </select>
        <input
          className="mono"
          aria-label="Directory (and below)"
          placeholder="in directory…"
          value={cwd}
          onChange={(e) => setCwd(e.target.value)}
          spellCheck={false}
        />
        <input
          className="mono narrow"
          aria-label="Host"
          placeholder="host"
          value={host}
          onChange={(e) => setHost(e.target.value)}
          spellCheck={false}
        />
      </div>
      <p className="muted small history-count" aria-live="polite">
        {result
          ? `${rows.length}${result.more ? '+' : ''} ${group === 'command' ? (rows.length === 1 ? 'command' : 'commands') : rows.length === 1 ? 'run' : 'runs'} · ${result.tookMs.toFixed(1)} ms`
          : 'Searching…'}
        {loading && result ? ' · updating' : ''}
        {result?.more && limit < 10_000 && (
          <button type="button" className="link-button" onClick={() => setLimit(10_000)}>
            show up to 10,000
          </button>
        )}
      </p>
      <div className="history-split">
        <div className="history-list card" ref={listRef} role="listbox" aria-label="Results" tabIndex={-1}>
          {rows.length === 0 && result && (
            <p className="muted history-empty">
              {text ? 'Nothing matches.' : 'No history yet: install the hook or import your old history (Settings).'}
            </p>
          )}
          <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
            {virtual.getVirtualItems().map((item) => {
              const row = rows[item.index]!;
              return (
                <div
                  key={item.key}
                  className="history-row"
                  role="option"
                  aria-selected={item.index === selected}
                  data-run={row.runId}
                  style={{ transform: `translateY(${item.start}px)`, height: item.size }}
                  onClick={() => move(item.index)}
                >
                  <span className="history-ago muted" title={new Date(row.startedAt).toLocaleString()}>
                    {timeAgo(row.startedAt)}
                  </span>
                  <ExitBadge exit={row.exit} />
                  {group === 'command' && (
                    <span className="history-runs muted" title="runs">
                      {row.count}×
                    </span>
                  )}
                  <span className="history-command mono">{oneLine(row.command)}</span>
                  {row.host && (
                    <button
                      type="button"
                      className="badge history-host"
                      title={`Run on ${row.host}: show only this machine's`}
                      onClick={(e) => {
                        e.stopPropagation();
                        setHost(row.host ?? '');
                      }}
                    >
                      {row.host}
                    </button>
                  )}
                  <span className="history-cwd muted mono" title={row.cwd ?? ''}>
                    {shortPath(row.cwd, home, 28)}
                  </span>
                </div>
              );
            })}
          </div>
        </div>
        <DetailPane
          runId={pinnedRun ?? current?.runId ?? null}
          count={pinnedRun === null ? (current?.count ?? null) : null}
          onPick={setPinnedRun}
        />
      </div>
    </div>
  );
}
