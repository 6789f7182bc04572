// The Docker view: cheats filled from the live engine and run in a terminal tab, and the containers panel.
import { useCallback, useEffect, useRef, useState } from 'react';
import '@xterm/xterm/css/xterm.css';
import type { Cheat, EngineStatus } from '../../../../main/docker/contract.ts';
import type { TerminalInfo } from '../../../../main/terminal/contract.ts';
import { asServiceError } from '../../api/connect.ts';
import { useApi } from '../../api/context.tsx';
import { useNotices } from '../../components/Notices.tsx';
import { TerminalPane } from '../terminal/TerminalPane.tsx';
import { useTerminalStore, useTerminalTabs } from '../terminal/useTerminals.ts';
import { CheatEditor, CheatImport } from './CheatEditor.tsx';
import { CheatForm } from './CheatForm.tsx';
import { CheatList } from './CheatList.tsx';
import { ConfirmDialog, type ConfirmRequest } from './ConfirmDialog.tsx';
import { ContainersPanel } from './ContainersPanel.tsx';
import { EnginePicker } from './EnginePicker.tsx';
import '../terminal/terminal.css';
import './docker.css';
import { dockerSearchEvent, dockerContainersEvent } from './events.ts';

function EngineLine({ status, onRetry }: { status: EngineStatus | null; onRetry(): void }) {
  if (!status) return <p className="muted small">Looking for the Docker engine…</p>;
  if (!status.reachable)
    return (
      <div className="engine-problem" role="status">
        <span className="badge badge-error">Engine unavailable</span> <span>{status.problem}</span>
        {status.hint && <p className="muted small">{status.hint}</p>}
        <button type="button" className="link-button" onClick={onRetry}>
          Try again
        </button>
      </div>
    );
  return (
    <p className="muted small engine-ok" data-engine={status.host} data-flavour={status.flavour ?? ''}>
      <span className="badge badge-ok">
        {status.flavour === 'podman' ? 'Podman' : 'Engine'} {status.engineVersion}
      </span>{' '}
      <span className="mono">{status.host}</span> · {status.chosen ? 'picked here' : `from ${status.source}`}
      {status.context ? ` (context ${status.context})` : ''} · API {status.apiVersion}
      {status.warning && (
        <span className="engine-warning" role="status">
          {' '}
          <span className="badge badge-warn">Insecure</span> {status.warning}
        </span>
      )}
    </p>
  );
}

export function DockerView() {
  const api = useApi();
  const notices = useNotices();
  const store = useTerminalStore();
  const { tabs } = useTerminalTabs(store);
  const [status, setStatus] = useState<EngineStatus | null>(null);
  const [tab, setTab] = useState<'cheats' | 'containers'>('cheats');
  const [selected, setSelected] = useState<string | null>(null);
  const [chosen, setChosen] = useState(0);
  const [library, setLibrary] = useState(0);
  const [editing, setEditing] = useState<{ from: Cheat | null } | 'import' | null>(null);
  const [refresh, setRefresh] = useState(0);
  const [confirmRequest, setConfirmRequest] = useState<ConfirmRequest | null>(null);
  const [runTabId, setRunTabId] = useState<string | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  const check = useCallback(() => {
    setStatus(null);
    api.docker.engine({}).then(setStatus, (error: unknown) => notices.showError(asServiceError(error), 'Docker engine'));
  }, [api, notices]);
  useEffect(check, [check]);
  const switched = useCallback((next: EngineStatus) => {
    setStatus(next);
    setRefresh((n) => n + 1);
  }, []);

  // Live updates: any container event refreshes the lists and suggestions (coalesced).
  useEffect(() => {
    if (!status?.reachable) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    return api.docker.events(
      {},
      {
        next: () => {
          timer ??= setTimeout(() => {
            timer = null;
            setRefresh((n) => n + 1);
          }, 150);
        },
        error: () =>
          setStatus((s) =>
            s ? { ...s, reachable: false, problem: 'The engine stopped sending events.', hint: 'Is it still running?' } : s,
          ),
      },
    );
  }, [api, status?.reachable, status?.endpointId]);

  useEffect(() => {
    const search = () => {
      setTab('cheats');
      setTimeout(() => searchRef.current?.focus(), 0);
    };
    const containers = () => setTab('containers');
    window.addEventListener(dockerSearchEvent, search);
    window.addEventListener(dockerContainersEvent, containers);
    return () => {
      window.removeEventListener(dockerSearchEvent, search);
      window.removeEventListener(dockerContainersEvent, containers);
    };
  }, []);

  /** A terminal the service opened (a cheat, a debug shell, a Compose action): shown below, and in the Terminal view. */
  const openTab = useCallback(
    (opened: Promise<{ terminal: TerminalInfo }>, what: string) => {
      opened.then(
        ({ terminal }) => {
          store.adopt(terminal);
          setRunTabId(terminal.id);
        },
        (error: unknown) => notices.showError(asServiceError(error), what),
      );
    },
    [store, notices],
  );
  const run = useCallback(
    (request: { id: string; values: Record<string, string>; command?: string; confirmed: boolean }) =>
      openTab(api.docker.runInTerminal({ ...request, cols: 100, rows: 24 }), 'Running the cheat'),
    [api, openTab],
  );

  const runTab = tabs.find((t) => t.info.id === runTabId) ?? null;

  return (
    <section className="view docker-view" aria-labelledby="docker-title">
      <header className="view-header">
        <div>
          <h1 id="docker-title">Docker</h1>
          <EngineLine status={status} onRetry={check} />
          <EnginePicker status={status} onChanged={switched} />
        </div>
        <div className="segmented" role="tablist" aria-label="Docker panels">
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'cheats'}
            className={tab === 'cheats' ? 'active' : ''}
            onClick={() => setTab('cheats')}
          >
            Cheats
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'containers'}
            className={tab === 'containers' ? 'active' : ''}
            onClick={() => setTab('containers')}
          >
            Containers
          </button>
        </div>
      </header>

      {tab === 'cheats' ? (
        <div className="cheats-layout">
          <CheatList
            selected={selected}
            onSelect={(id) => (setSelected(id), setChosen(0), setEditing(null))}
            onChoose={(id) => (setSelected(id), setChosen((n) => n + 1), setEditing(null))}
            searchRef={searchRef}
            version={library}
            onNew={() => setEditing({ from: null })}
            onImport={() => setEditing('import')}
          />
          {editing === 'import' ? (
            <CheatImport onImported={() => setLibrary((n) => n + 1)} onClose={() => setEditing(null)} />
          ) : editing ? (
            <CheatEditor
              from={editing.from}
              onClose={() => setEditing(null)}
              onSaved={(id) => {
                setEditing(null);
                setLibrary((n) => n + 1);
                setSelected(id);
                setChosen((n) => n + 1);
              }}
            />
          ) : selected ? (
            <CheatForm
              key={`${selected}-${chosen}-${library}`}
              cheatId={selected}
              refresh={refresh}
              focusFirst={chosen > 0}
              onRun={run}
              confirm={setConfirmRequest}
              onEdit={(cheat) => setEditing({ from: cheat })}
              onDeleted={() => (setSelected(null), setLibrary((n) => n + 1))}
            />
          ) : (
            <div className="card muted">Pick a cheat.</div>
          )}
        </div>
      ) : (
        <ContainersPanel
          confirm={setConfirmRequest}
          openShell={(container, shell) => run({ id: 'exec-shell', values: { container, shell }, confirmed: false })}
          openDebug={(container, nonce) =>
            openTab(api.docker.debugShell({ container, nonce, cols: 100, rows: 24 }), `Debug shell into ${container}`)
          }
          runCompose={(project, action, confirmed) =>
            openTab(api.docker.composeRun({ project, action, confirmed, cols: 100, rows: 24 }), `${project}: ${action}`)
          }
        />
      )}

      {runTab && (
        <div className="run-pane">
          <div className="log-header">
            <h2>Terminal · {runTab.info.title}</h2>
            <code className="muted ellipsis">{runTab.info.command}</code>
            <span className="muted small">
              {runTab.exit ? `exited with ${runTab.exit.code ?? `signal ${runTab.exit.signal}`}` : 'running — also in the Terminal view'}
            </span>
            <button type="button" className="icon-button" aria-label="Hide terminal" onClick={() => setRunTabId(null)}>
              ×
            </button>
          </div>
          <TerminalPane key={runTab.info.id} tab={runTab} />
        </div>
      )}
      {confirmRequest && <ConfirmDialog request={confirmRequest} onClose={() => setConfirmRequest(null)} />}
    </section>
  );
}
