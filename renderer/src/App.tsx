// The app shell: navigation, command palette, notices. Views own their content.
import { Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import type { AppInfo } from '../../main/contract/index.ts';
import { asServiceError } from './api/connect.ts';
import { useApi } from './api/context.tsx';
import { CommandPalette, type PaletteCommand } from './components/CommandPalette.tsx';
import { useNotices } from './components/Notices.tsx';
import { appShortcut, modLabel } from './shortcuts.ts';
import { registry } from './views/registry.tsx';
import { openedAs } from './api/opened-as.ts';

const mod = modLabel;

function initialView(): string {
  const fromHash = location.hash.replace(/^#\/?/, '');
  return registry.some((v) => v.id === fromHash) ? fromHash : registry[0]!.id;
}

export function App() {
  const api = useApi();
  const notices = useNotices();
  const [viewId, setViewId] = useState(initialView);
  const [paletteOpen, setPaletteOpen] = useState(false);
  const [info, setInfo] = useState<AppInfo | null>(null);

  const show = useCallback((id: string) => {
    setViewId(id);
    history.replaceState(null, '', `#/${id}`);
  }, []);

  useEffect(() => {
    api.app.info({}).then(setInfo, (error: unknown) => notices.showError(asServiceError(error), 'Connecting to Lanyard'));
  }, [api, notices]);

  const commands = useMemo<PaletteCommand[]>(
    () =>
      registry.flatMap((view, index) => [
        { id: `go.${view.id}`, group: 'Go to', title: view.label, shortcut: `${mod}${index + 1}`, run: () => show(view.id) },
        ...view.actions.map((action) => ({
          ...action,
          group: view.label,
          run: () => {
            show(view.id);
            // The view's code may still be loading: tell it once it has mounted (two frames after the load).
            void view.load().then(() => requestAnimationFrame(() => requestAnimationFrame(action.run)));
          },
        })),
      ]),
    [show],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const shortcut = appShortcut(event);
      if (!shortcut) return;
      if (shortcut.kind === 'palette') {
        event.preventDefault();
        setPaletteOpen((open) => !open);
        return;
      }
      const view = registry[shortcut.index];
      if (view) {
        event.preventDefault();
        show(view.id);
      }
    };
    // Back/forward and links to #/view move between views too.
    const onHash = () => setViewId(initialView());
    window.addEventListener('keydown', onKey);
    window.addEventListener('hashchange', onHash);
    // A #/view set between the first render and this listener (a link followed while the page starts) still counts.
    onHash();
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('hashchange', onHash);
    };
  }, [show]);

  const current = registry.find((v) => v.id === viewId) ?? registry[0]!;
  const { Component } = current;

  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Views">
        <div className="brand">
          <img src="./favicon.svg" alt="" width={22} height={22} />
          <span>Lanyard</span>
        </div>
        <ul>
          {registry.map((view, index) => (
            <li key={view.id}>
              <button
                type="button"
                className={view.id === current.id ? 'nav-item active' : 'nav-item'}
                aria-current={view.id === current.id ? 'page' : undefined}
                onClick={() => show(view.id)}
              >
                <span className="nav-icon" aria-hidden="true">
                  {view.icon}
                </span>
                <span className="nav-label">{view.label}</span>
                <kbd>
                  {mod}
                  {index + 1}
                </kbd>
              </button>
            </li>
          ))}
        </ul>
        <button type="button" className="palette-trigger" onClick={() => setPaletteOpen(true)}>
          <span>Commands</span>
          <kbd>{mod}K</kbd>
        </button>
        <footer className="sidebar-footer muted small">
          {info ? (
            <>
              <div>Lanyard {info.version}</div>
              <div title={info.dataDir} className="ellipsis">
                {info.dataDir}
              </div>
              <div data-opened-as>{openedAs(info.transport, location.search)}</div>
            </>
          ) : (
            <div>Connecting…</div>
          )}
        </footer>
      </nav>
      <main className="content">
        <Suspense fallback={<p className="view-loading muted">Loading {current.label}…</p>}>
          <Component key={current.id} />
        </Suspense>
      </main>
      {paletteOpen && <CommandPalette commands={commands} onClose={() => setPaletteOpen(false)} />}
    </div>
  );
}
