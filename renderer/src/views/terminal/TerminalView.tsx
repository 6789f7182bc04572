// The Terminal view: tabs of real terminals (the user's login shell, or a cheat's command).
import { useCallback, useEffect } from 'react';
import '@xterm/xterm/css/xterm.css';
import { asServiceError } from '../../api/connect.ts';
import { useNotices } from '../../components/Notices.tsx';
import { TerminalPane } from './TerminalPane.tsx';
import { useTerminalStore, useTerminalTabs } from './useTerminals.ts';
import './terminal.css';
import { terminalNewTabEvent, terminalCloseTabEvent } from './events.ts';

export function TerminalView() {
  const store = useTerminalStore();
  const { tabs, active } = useTerminalTabs(store);
  const notices = useNotices();
  const current = tabs.find((t) => t.info.id === active) ?? tabs.at(-1) ?? null;

  const newTab = useCallback(() => {
    store.open().catch((error: unknown) => notices.showError(asServiceError(error), 'New terminal'));
  }, [store, notices]);

  useEffect(() => {
    const close = () => current && store.close(current.info.id);
    window.addEventListener(terminalNewTabEvent, newTab);
    window.addEventListener(terminalCloseTabEvent, close);
    return () => {
      window.removeEventListener(terminalNewTabEvent, newTab);
      window.removeEventListener(terminalCloseTabEvent, close);
    };
  }, [newTab, store, current]);

  // A Terminal view with nothing running is a dead end: open a shell straight away.
  useEffect(() => {
    if (!store.tabs().some((t) => t.exit === null)) newTab();
  }, [store, newTab]);

  return (
    <section className="view terminal-view" aria-label="Terminal">
      <div className="terminal-tabs" role="tablist" aria-label="Terminals">
        {tabs.map((tab) => (
          <div key={tab.info.id} className={tab === current ? 'terminal-tab active' : 'terminal-tab'} data-exited={tab.exit !== null}>
            <button
              type="button"
              role="tab"
              aria-selected={tab === current}
              title={tab.info.command ?? tab.info.shell}
              onClick={() => store.setActive(tab.info.id)}
            >
              <span className="ellipsis">{tab.info.title}</span>
              {tab.exit && <span className="muted small"> · exit {tab.exit.code ?? `signal ${tab.exit.signal}`}</span>}
            </button>
            <button type="button" className="icon-button" aria-label={`Close ${tab.info.title}`} onClick={() => store.close(tab.info.id)}>
              ×
            </button>
          </div>
        ))}
        <button type="button" className="terminal-new" onClick={newTab} aria-label="New terminal" title="New terminal">
          +
        </button>
        <span className="terminal-help muted small">Ctrl+Shift+C copy · Ctrl+Shift+V paste · Ctrl+Shift+F find</span>
      </div>
      {current ? <TerminalPane key={current.info.id} tab={current} /> : <p className="muted terminal-empty">Starting a shell…</p>}
    </section>
  );
}
