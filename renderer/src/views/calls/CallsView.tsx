// Calls: open capture files (or follow the live feed), filter the call list, open a call for its ladder, its
// messages and its streams' quality. The list is polled once a second (it returns nothing when nothing changed).
import { useEffect, useMemo, useRef, useState } from 'react';
import type { CallsList, CallsStatus, CallState, FileWarning } from '../../../../main/calls/contract.ts';
import { callState } from '../../../../main/calls/contract.ts';
import { asServiceError } from '../../api/connect.ts';
import { useApi } from '../../api/context.tsx';
import { useNotices } from '../../components/Notices.tsx';
import { CallDetailPane } from './CallDetailPane.tsx';
import { CallList, listKeys } from './CallList.tsx';
import './calls.css';
import { callsFailedOnlyEvent } from './events.ts';
import { type CallFilter, filterCalls, noFilter, sourcesOf } from './filter.ts';

export function CallsView() {
  const api = useApi();
  const notices = useNotices();
  const [list, setList] = useState<CallsList | null>(null);
  const [files, setFiles] = useState<string[]>([]);
  const [warnings, setWarnings] = useState<FileWarning[]>([]);
  const [path, setPath] = useState('');
  const [opening, setOpening] = useState(false);
  const [filter, setFilter] = useState<CallFilter>(noFilter);
  const [cursor, setCursor] = useState(0);
  const [openId, setOpenId] = useState<string | null>(null);
  const [dataDir, setDataDir] = useState<string | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [refresh, setRefresh] = useState(0);

  useEffect(() => {
    const toggle = () => setFilter((f) => ({ ...f, failedOnly: !f.failedOnly }));
    window.addEventListener(callsFailedOnlyEvent, toggle);
    return () => window.removeEventListener(callsFailedOnlyEvent, toggle);
  }, []);
  useEffect(() => {
    api.app.info({}).then(
      (info) => setDataDir(info.dataDir),
      () => undefined,
    );
  }, [api]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `refresh` restarts the poll after open/clear
  useEffect(() => {
    let version: number | undefined;
    let stopped = false;
    const poll = async () => {
      const next = await api.calls.list(version === undefined ? {} : { since: version }).catch(() => null);
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
  }, [api, refresh]);

  const all = list?.calls ?? [];
  const shown = useMemo(() => filterCalls(all, filter), [all, filter]);
  const sources = useMemo(() => sourcesOf(all), [all]);
  useEffect(() => setCursor((c) => Math.max(0, Math.min(c, shown.length - 1))), [shown.length]);

  const set = <K extends keyof CallFilter>(key: K, value: CallFilter[K]) => {
    setFilter((f) => ({ ...f, [key]: value }));
    setCursor(0);
  };
  const showStatus = (status: CallsStatus) => {
    setFiles(status.files);
    setWarnings(status.warnings);
  };
  const open = async () => {
    const wanted = path.trim();
    if (!wanted) return;
    setOpening(true);
    try {
      const status = await api.calls.open({ files: [wanted] });
      showStatus(status);
      setPath('');
      setRefresh((r) => r + 1);
      const broke = status.warnings.some((w) => w.file === wanted) ? ' The file broke midway: see the warning above the list.' : '';
      notices.showInfo(`Read ${wanted}: ${status.calls} calls and flows in all.${broke}`);
    } catch (error) {
      notices.showError(asServiceError(error), 'Open capture file');
    } finally {
      setOpening(false);
    }
  };
  const clear = async () => {
    const status = await api.calls.clear({}).catch((e: unknown) => (notices.showError(asServiceError(e), 'Clear calls'), null));
    if (!status) return;
    showStatus(status);
    setOpenId(null);
    setRefresh((r) => r + 1);
  };
  const listProps = { calls: shown, cursor, onMove: setCursor, onOpen: (i: number) => setOpenId(shown[i]?.id ?? null) };
  const counters = list?.counters;

  return (
    <section className="view calls-view" aria-labelledby="calls-title">
      <header className="view-header">
        <div>
          <h1 id="calls-title">Calls</h1>
          <p className="muted small">
            SIP call flows and RTP quality from capture files and the live feed.
            {files.length > 0 && ` Open: ${files.join(', ')}.`}
          </p>
        </div>
        <form
          className="view-actions calls-open"
          aria-label="Open capture file"
          onSubmit={(e) => {
            e.preventDefault();
            void open();
          }}
        >
          <input
            className="mono"
            aria-label="Capture file"
            placeholder="/path/to/capture.pcapng"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            spellCheck={false}
          />
          <button type="submit" className="button primary" disabled={opening || !path.trim()}>
            {opening ? 'Reading…' : 'Open file…'}
          </button>
          <button type="button" className="button" onClick={() => void clear()} disabled={all.length === 0 && files.length === 0}>
            Clear
          </button>
        </form>
      </header>
      {warnings.length > 0 && (
        <ul className="calls-file-warnings" aria-label="Capture files that broke midway">
          {warnings.map((w) => (
            <li key={w.file} className="small mono" role="status">
              <span className="badge badge-warn">{w.cutShort ? 'Cut short' : 'Broken'}</span> {w.text}
            </li>
          ))}
        </ul>
      )}
      {opening && (
        <div className="progress" role="progressbar" aria-label="Reading the capture">
          <div className="progress-fill indeterminate" />
        </div>
      )}

      <search className="calls-filters">
        <input
          type="search"
          className="mono calls-query"
          aria-label="Filter calls"
          placeholder="Number, URI or Call-ID… (↑↓ move, Enter opens)"
          value={filter.text}
          onChange={(e) => set('text', e.target.value)}
          onKeyDown={(e) => e.key !== 'Home' && e.key !== 'End' && listKeys(e, listProps, 10)}
          spellCheck={false}
          autoComplete="off"
        />
        <select aria-label="State" value={filter.state} onChange={(e) => set('state', e.target.value as CallState | '')}>
          <option value="">any state</option>
          {callState.options.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <select aria-label="Sensor" value={filter.source} onChange={(e) => set('source', e.target.value)}>
          <option value="">any sensor</option>
          {sources.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <label className="small">
          <input type="checkbox" checked={filter.failedOnly} onChange={(e) => set('failedOnly', e.target.checked)} /> Failed calls only
        </label>
        <span className="muted small" aria-live="polite" data-testid="calls-count">
          {shown.length === all.length ? `${all.length} calls and flows` : `${shown.length} of ${all.length}`}
          {counters && counters.malformed > 0 ? ` · ${counters.malformed} malformed` : ''}
          {counters && counters.evictedCalls > 0 ? ` · ${counters.evictedCalls} oldest dropped (limit)` : ''}
          {list && list.orphanStreams.length > 0 ? ` · ${list.orphanStreams.length} RTP streams without SDP` : ''}
        </span>
      </search>

      <CallList {...listProps} openId={openId} scrollRef={scrollRef} />
      {list && all.length === 0 && <p className="muted">No calls yet: open a capture file above, or start a live feed.</p>}
      {openId && <CallDetailPane key={openId} id={openId} version={list?.version ?? 0} dataDir={dataDir} />}
    </section>
  );
}
