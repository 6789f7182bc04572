// One terminal tab's screen: mounts the tab's xterm element, keeps it fitted to the pane, offers search.
import { useEffect, useRef, useState } from 'react';
import { mountTab, type Tab } from './terminal-store.ts';

export function TerminalPane({ tab, autoFocus = true }: { tab: Tab; autoFocus?: boolean }) {
  const paneRef = useRef<HTMLDivElement>(null);
  const [searching, setSearching] = useState(false);
  const [query, setQuery] = useState('');

  useEffect(() => {
    const pane = paneRef.current!;
    mountTab(tab, pane);
    if (autoFocus) tab.term.focus();
    const observer = new ResizeObserver(() => {
      try {
        tab.fit.fit();
      } catch {
        // not laid out yet
      }
    });
    observer.observe(pane);
    return () => observer.disconnect();
  }, [tab, autoFocus]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey && event.shiftKey && event.code === 'KeyF' && paneRef.current?.parentElement?.contains(document.activeElement)) {
        event.preventDefault();
        setSearching(true);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  const find = (forward: boolean) => (forward ? tab.search.findNext(query) : tab.search.findPrevious(query));

  return (
    <div className="terminal-pane">
      {searching && (
        <div className="terminal-search" role="search">
          <input
            autoFocus
            aria-label="Find in terminal"
            placeholder="Find"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') find(!e.shiftKey);
              if (e.key === 'Escape') {
                setSearching(false);
                tab.search.clearDecorations();
                tab.term.focus();
              }
            }}
          />
          <button type="button" className="link-button" onClick={() => find(false)} aria-label="Previous match">
            ↑
          </button>
          <button type="button" className="link-button" onClick={() => find(true)} aria-label="Next match">
            ↓
          </button>
        </div>
      )}
      <div className="terminal-screen" ref={paneRef} />
    </div>
  );
}
