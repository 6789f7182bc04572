// The call's ladder as SVG (sngrep's flow): one column per address:port, one arrow per message with its method
// or code, the time on the left, retransmissions dashed and marked ↻, messages with SDP marked. A click or ↑/↓
// picks the message shown in full beside it. The render time lands in data-render-ms (the e2e prints it).
import { type KeyboardEvent, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import type { SipMessage } from '../../../../main/calls/contract.ts';
import { callLadder, clockText } from '../../../../main/display/call-ladder.ts';

const timeWidth = 100;
const columnWidth = 170;
/** The host names sit in a sticky HTML row above the SVG, so they stay while a long ladder scrolls. */
const stickyHead = 24;
const headHeight = 6;
const rowHeight = 26;

export function LadderDiagram({
  messages,
  selected,
  onSelect,
}: {
  messages: SipMessage[];
  selected: number;
  onSelect(index: number): void;
}) {
  const started = performance.now();
  const ref = useRef<SVGSVGElement>(null);
  const scroller = useRef<HTMLElement>(null);
  const ladder = useMemo(() => callLadder(messages), [messages]);
  useLayoutEffect(() => {
    if (ref.current) ref.current.dataset.renderMs = (performance.now() - started).toFixed(1);
  });
  const x = (column: number) => timeWidth + column * columnWidth + columnWidth / 2;
  const width = timeWidth + ladder.columns.length * columnWidth;
  const height = headHeight + ladder.arrows.length * rowHeight + 8;
  // The arrows do not depend on the selection, so picking a message redraws one rectangle, not 200 arrows.
  // biome-ignore lint/correctness/useExhaustiveDependencies: x and width follow from the ladder
  const drawn = useMemo(
    () =>
      ladder.arrows.map((a) => {
        const y = headHeight + a.message * rowHeight + rowHeight / 2;
        const x1 = x(a.from);
        const x2 = x(a.to);
        const self = a.from === a.to;
        const dir = x2 >= x1 ? 1 : -1;
        const tip = self ? x1 : x2;
        const m = messages[a.message]!;
        const kind = m.method ? 'request' : (m.code ?? 0) >= 300 ? 'failure' : 'response';
        return (
          // biome-ignore lint/a11y/noStaticElementInteractions: the keyboard picks messages with ↑/↓ on the ladder's box; a click is the pointer's way
          <g
            key={a.message}
            className={`ladder-arrow ${kind}${a.retransmission ? ' retransmission' : ''}`}
            data-message={a.message}
            data-label={a.label}
            onClick={() => onSelect(a.message)}
          >
            <rect className="ladder-hit" x={0} y={y - rowHeight / 2} width={width} height={rowHeight} />
            <text x={4} y={y + 4} className="ladder-time">
              {clockText(a.ts)}
            </text>
            {self ? <path d={`M${x1} ${y - 6} h24 v10 h-24`} fill="none" /> : <line x1={x1} x2={x2 - dir * 7} y1={y + 4} y2={y + 4} />}
            <polygon
              points={
                self
                  ? `${tip},${y + 4} ${tip + 7},${y} ${tip + 7},${y + 8}`
                  : `${tip},${y + 4} ${tip - dir * 8},${y} ${tip - dir * 8},${y + 8}`
              }
            />
            <text x={self ? x1 + 30 : (x1 + x2) / 2} y={y - 1} textAnchor={self ? 'start' : 'middle'} className="ladder-label">
              {a.retransmission ? `↻ ${a.label}` : a.label}
            </text>
          </g>
        );
      }),
    [ladder, messages, onSelect],
  );
  useEffect(() => {
    const box = scroller.current;
    if (!box) return;
    const top = stickyHead + headHeight + selected * rowHeight;
    if (top < box.scrollTop + stickyHead) box.scrollTop = Math.max(0, top - stickyHead);
    else if (top + rowHeight > box.scrollTop + box.clientHeight) box.scrollTop = top + rowHeight - box.clientHeight;
  }, [selected]);
  const onKey = (e: KeyboardEvent) => {
    const to = e.key === 'ArrowDown' ? selected + 1 : e.key === 'ArrowUp' ? selected - 1 : null;
    if (to === null) return;
    e.preventDefault();
    onSelect(Math.max(0, Math.min(messages.length - 1, to)));
  };

  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling box takes focus so ↑/↓ reach it
    <section className="ladder-scroll" ref={scroller} tabIndex={0} onKeyDown={onKey} aria-label="Call flow (↑↓ pick a message)">
      <div className="ladder-head mono" style={{ width, height: stickyHead }}>
        {ladder.columns.map((c, i) => (
          <span key={c} className="ladder-host" style={{ left: x(i) - columnWidth / 2, width: columnWidth }} title={c}>
            {c}
          </span>
        ))}
      </div>
      <svg
        ref={ref}
        className="ladder"
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`Call flow: ${ladder.arrows.length} messages between ${ladder.columns.length} endpoints`}
        data-messages={ladder.arrows.length}
      >
        {ladder.columns.map((c, i) => (
          <line key={c} className="ladder-column" x1={x(i)} x2={x(i)} y1={0} y2={height} />
        ))}
        {selected >= 0 && selected < messages.length && (
          <rect className="ladder-selected" x={0} y={headHeight + selected * rowHeight} width={width} height={rowHeight} />
        )}
        {drawn}
      </svg>
    </section>
  );
}
