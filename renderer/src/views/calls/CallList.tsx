// The call list: virtualised (only the visible rows exist, so tens of thousands stay smooth), one cursor row
// moved with ↑/↓ (from the list or the filter box), Enter or a click opens the call.
import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, type RefObject, useEffect } from 'react';
import type { CallSummary } from '../../../../main/calls/contract.ts';
import { clockText } from '../../../../main/display/call-ladder.ts';
import { durationText, mosClass, stateText } from './figures.ts';
import { isFailed } from './filter.ts';

const rowHeight = 24;
const rowId = (index: number) => `call-row-${index}`;

export interface CallListProps {
  calls: CallSummary[];
  cursor: number;
  openId: string | null;
  scrollRef: RefObject<HTMLDivElement | null>;
  onMove(index: number): void;
  onOpen(index: number): void;
}

/** ↑/↓/PageUp/PageDown (and Home/End in the list) move the cursor, Enter opens: shared by the list and the filter box. */
export function listKeys(event: KeyboardEvent, props: Pick<CallListProps, 'cursor' | 'calls' | 'onMove' | 'onOpen'>, page: number): void {
  const moves: Record<string, number> = {
    ArrowDown: props.cursor + 1,
    ArrowUp: props.cursor - 1,
    PageDown: props.cursor + page,
    PageUp: props.cursor - page,
    Home: 0,
    End: props.calls.length - 1,
  };
  if (event.key in moves) {
    event.preventDefault();
    props.onMove(Math.max(0, Math.min(props.calls.length - 1, moves[event.key]!)));
  } else if (event.key === 'Enter' && props.calls[props.cursor]) {
    event.preventDefault();
    props.onOpen(props.cursor);
  }
}

export function CallList(props: CallListProps) {
  const { calls, cursor, openId, scrollRef, onMove, onOpen } = props;
  const virtual = useVirtualizer({
    count: calls.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  useEffect(() => {
    if (cursor >= 0 && cursor < calls.length) virtual.scrollToIndex(cursor, { align: 'auto' });
  }, [cursor, calls.length, virtual]);
  const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 240) / rowHeight) - 1);

  return (
    <div className="calls-list card">
      <div className="calls-row calls-head" aria-hidden="true">
        <span>Time</span>
        <span>From</span>
        <span>To</span>
        <span>Source</span>
        <span>State</span>
        <span className="num">Duration</span>
        <span>Codec</span>
        <span className="num">MOS</span>
      </div>
      <div
        className="calls-scroll"
        ref={scrollRef}
        tabIndex={0}
        role="listbox"
        aria-label="Calls (↑↓ move, Enter opens)"
        aria-activedescendant={calls[cursor] ? rowId(cursor) : undefined}
        style={{ height: Math.max(3, calls.length) * rowHeight }}
        onKeyDown={(e) => listKeys(e, props, page)}
      >
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {virtual.getVirtualItems().map((item) => {
            const c = calls[item.index]!;
            return (
              // biome-ignore lint/a11y/useKeyWithClickEvents: the listbox takes the keys (↑/↓, Enter) for its options
              <div
                key={c.id}
                id={rowId(item.index)}
                className="calls-row"
                role="option"
                tabIndex={-1}
                aria-selected={item.index === cursor}
                data-call={c.id}
                data-state={c.state}
                data-open={c.id === openId || undefined}
                style={{ transform: `translateY(${item.start}px)`, height: rowHeight }}
                onClick={() => {
                  onMove(item.index);
                  onOpen(item.index);
                }}
              >
                <span className="mono">{clockText(c.startUs)}</span>
                <span className="mono ellipsis" title={c.from}>
                  {c.kind === 'call' ? '' : `${c.kind.toUpperCase()} `}
                  {c.from}
                </span>
                <span className="mono ellipsis" title={c.to}>
                  {c.to}
                </span>
                <span className="ellipsis" title={c.sources.join(', ')}>
                  {c.sources.join(', ')}
                </span>
                <span className={`call-state ${isFailed(c) ? 'failed' : ''}`}>
                  {stateText(c)}
                  {c.onHold ? ' · hold' : ''}
                </span>
                <span className="num mono">{durationText(c.durationMs)}</span>
                <span className="ellipsis">{c.codecs.join(', ')}</span>
                <span className={`num mono ${mosClass(c.worstMos)}`}>{c.worstMos?.toFixed(2) ?? '—'}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
