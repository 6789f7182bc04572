// Fuzzy search over every cheat (the service ranks them) and the list, virtualised for large imports.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { Cheat } from '../../../../main/docker/contract.ts';
import { asServiceError } from '../../api/connect.ts';
import { useApi } from '../../api/context.tsx';
import { useNotices } from '../../components/Notices.tsx';

interface Props {
  selected: string | null;
  onSelect(id: string): void;
  /** Enter in the search box: go fill the selected cheat. */
  onChoose(id: string): void;
  searchRef: RefObject<HTMLInputElement | null>;
  /** Bumped when cheats were added, edited or imported. */
  version: number;
  onNew(): void;
  onImport(): void;
}

export function CheatList({ selected, onSelect, onChoose, searchRef, version, onNew, onImport }: Props) {
  const api = useApi();
  const notices = useNotices();
  const [query, setQuery] = useState('');
  const [cheats, setCheats] = useState<Cheat[]>([]);
  const [problems, setProblems] = useState<string[]>([]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const rankedFor = useRef<string | null>(null);

  useEffect(() => {
    let live = true;
    api.docker.cheats({ query }).then(
      (result) => {
        if (!live) return;
        setCheats(result.cheats);
        setProblems(result.problems);
        // A new query selects its best match; a refresh of the library keeps the selection.
        const queryChanged = rankedFor.current !== query;
        rankedFor.current = query;
        if (result.cheats[0] && ((queryChanged && query) || !selected)) onSelect(result.cheats[0].id);
      },
      (error: unknown) => notices.showError(asServiceError(error), 'Loading cheats'),
    );
    return () => {
      live = false;
    };
    // onSelect/selected are deliberately not dependencies: only a new query or library re-ranks.
  }, [api, query, notices, version]);

  const virtualizer = useVirtualizer({
    count: cheats.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 46,
    overscan: 8,
  });
  const index = cheats.findIndex((c) => c.id === selected);

  const move = (delta: number) => {
    const next = cheats[Math.max(0, Math.min(cheats.length - 1, index + delta))];
    if (!next) return;
    onSelect(next.id);
    virtualizer.scrollToIndex(cheats.indexOf(next), { align: 'auto' });
  };

  return (
    <div className="cheat-list">
      <input
        ref={searchRef}
        className="input"
        type="search"
        aria-label="Search cheats"
        placeholder="Search cheats: exec, logs, prune…"
        value={query}
        autoFocus
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') e.preventDefault(), move(1);
          else if (e.key === 'ArrowUp') e.preventDefault(), move(-1);
          else if (e.key === 'Enter' && selected) e.preventDefault(), onChoose(selected);
        }}
      />
      <p className="muted small cheat-count">
        <span>
          {cheats.length} cheat{cheats.length === 1 ? '' : 's'}
          {problems.length > 0 && (
            <span title={problems.join('\n')}>
              {' '}
              · {problems.length} file problem{problems.length === 1 ? '' : 's'}
            </span>
          )}
        </span>
        <button type="button" className="link-button" onClick={onNew}>
          New
        </button>
        <button type="button" className="link-button" onClick={onImport}>
          Import…
        </button>
      </p>
      <div className="cheat-scroll" ref={scrollRef} role="listbox" aria-label="Cheats">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const cheat = cheats[item.index]!;
            return (
              <div
                key={cheat.id}
                role="option"
                aria-selected={cheat.id === selected}
                data-cheat={cheat.id}
                className={cheat.id === selected ? 'cheat-item active' : 'cheat-item'}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: item.size, transform: `translateY(${item.start}px)` }}
                onClick={() => onSelect(cheat.id)}
                onDoubleClick={() => onChoose(cheat.id)}
              >
                <div className="cheat-title">
                  {cheat.title}
                  {cheat.danger && <span className="danger-dot" title="asks before running" />}
                  {cheat.source !== 'builtin' && <span className="muted small"> · {cheat.source}</span>}
                </div>
                <div className="muted small mono ellipsis">{cheat.template}</div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
