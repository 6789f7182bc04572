// The last few hundred packets, one decoded line each; follows the newest unless the user scrolls up.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { PacketSummary } from '../../../../main/captures/contract.ts';
import { clock } from './format.ts';

const rowHeight = 22;

export function PacketList({ packets }: { packets: PacketSummary[] }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(true);
  const virtualizer = useVirtualizer({
    count: packets.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });

  useEffect(() => {
    if (follow && packets.length > 0) virtualizer.scrollToIndex(packets.length - 1, { align: 'end' });
  }, [packets, follow, virtualizer]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (el) setFollow(el.scrollHeight - el.scrollTop - el.clientHeight < rowHeight * 2);
  };

  return (
    <div className="packets" role="table" aria-label="Recent packets" aria-rowcount={packets.length}>
      <div className="packet-row packet-head" role="row">
        <span role="columnheader">Time</span>
        <span role="columnheader">Sensor</span>
        <span role="columnheader">Source</span>
        <span role="columnheader">Destination</span>
        <span role="columnheader">Protocol</span>
        <span role="columnheader" className="num">
          Length
        </span>
        <span role="columnheader">Info</span>
      </div>
      <div className="packet-scroll" ref={scrollRef} onScroll={onScroll} tabIndex={0}>
        {packets.length === 0 && <p className="muted empty">Packets appear here as they arrive.</p>}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const p = packets[item.index]!;
            return (
              <div
                key={p.seq}
                className="packet-row"
                role="row"
                data-protocol={p.protocol}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: rowHeight, transform: `translateY(${item.start}px)` }}
              >
                <span className="mono">{clock(p.time)}</span>
                <span className="mono ellipsis">{p.sensor}</span>
                <span className="mono ellipsis">{p.src}</span>
                <span className="mono ellipsis">{p.dst}</span>
                <span className="proto">{p.protocol}</span>
                <span className="num mono">{p.length}</span>
                <span className="ellipsis">{p.info}</span>
              </div>
            );
          })}
        </div>
      </div>
      {!follow && (
        <button type="button" className="link-button follow" onClick={() => setFollow(true)}>
          ↓ Follow newest
        </button>
      )}
    </div>
  );
}
