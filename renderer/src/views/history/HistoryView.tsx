// History: every shell command, searchable as you type; stats; hooks, pause and secrets.
import { useCallback, useEffect, useState } from 'react';
import type { HookStatus } from '../../../../main/history/contract.ts';
import { useApi } from '../../api/context.tsx';
import './history.css';
import { SearchPanel } from './SearchPanel.tsx';
import { SettingsPanel } from './SettingsPanel.tsx';
import { StatsPanel } from './StatsPanel.tsx';
import { historyFocusEvent, historyStatsEvent, historySettingsEvent } from './events.ts';

type Tab = 'search' | 'stats' | 'settings';

/** The home folder, read off bash's startup file path, so paths can be shown with ~. */
const homeOf = (hooks: HookStatus[]) => hooks.find((h) => h.shell === 'bash')?.rcFile.replace(/\/\.bashrc$/, '') ?? null;

export function HistoryView() {
  const api = useApi();
  const [tab, setTab] = useState<Tab>('search');
  const [hooks, setHooks] = useState<HookStatus[]>([]);
  const home = homeOf(hooks);

  useEffect(() => {
    api.history.hooks({}).then(setHooks, () => undefined);
  }, [api]);

  useEffect(() => {
    const on = (name: string, to: Tab) => {
      const handler = () => setTab(to);
      window.addEventListener(name, handler);
      return () => window.removeEventListener(name, handler);
    };
    const offs = [on(historyFocusEvent, 'search'), on(historyStatsEvent, 'stats'), on(historySettingsEvent, 'settings')];
    return () => offs.forEach((off) => off());
  }, []);

  const onHooks = useCallback((h: HookStatus[]) => setHooks(h), []);
  const installed = hooks.filter((h) => h.installed).map((h) => h.shell);

  return (
    <section className="view history-view" aria-labelledby="history-title">
      <header className="view-header">
        <div>
          <h1 id="history-title">History</h1>
          <p className="muted">
            Every command from every terminal, with where it ran and how it ended.{' '}
            {hooks.length > 0 && (installed.length ? `Recording in ${installed.join(', ')}.` : 'No shell is recording yet — see Settings.')}
          </p>
        </div>
        <nav className="history-tabs" role="tablist" aria-label="History">
          {(['search', 'stats', 'settings'] as const).map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              aria-selected={tab === t}
              className={`button ${tab === t ? 'primary' : ''}`}
              onClick={() => setTab(t)}
            >
              {t === 'search' ? 'Search' : t === 'stats' ? 'Stats' : 'Settings'}
            </button>
          ))}
        </nav>
      </header>
      {tab === 'search' && <SearchPanel home={home} />}
      {tab === 'stats' && <StatsPanel home={home} />}
      {tab === 'settings' && <SettingsPanel onHooks={onHooks} />}
    </section>
  );
}
