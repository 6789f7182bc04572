// One row per sensor: what it sends, how fast, and what went wrong (malformed datagrams, gaps in its packet ids).
import type { SensorStats } from '../../../../main/captures/contract.ts';
import { linktypeName } from '../../../../main/display/linktypes.ts';
import { RecentRowsCaption } from './RecentRowsCaption.tsx';
import { ago, bits, bytes, count } from './format.ts';
import { Sparkline } from './Sparkline.tsx';

/** `total` is the table's row count: a status carries only the most recently seen rows. */
export function SensorTable({ sensors, total, now }: { sensors: SensorStats[]; total: number; now: number }) {
  if (sensors.length === 0) {
    return (
      <p className="muted empty" data-testid="no-sensors">
        No sensor has sent anything yet. Point a MikroTik (
        <span className="mono">/tool sniffer set streaming-enabled=yes streaming-server=THIS-HOST</span>), Scratch'n'Sniff or{' '}
        <span className="mono">lanyard tzsp send --pcap FILE --to THIS-HOST</span> at this port.
      </p>
    );
  }
  return (
    <table className="sensors" aria-label="Sensors">
      <RecentRowsCaption shown={sensors.length} total={total} noun="sensors" />
      <thead>
        <tr>
          <th>Sensor</th>
          <th>Link types</th>
          <th className="num">Packets</th>
          <th className="num">Rate</th>
          <th>Last minute</th>
          <th className="num">Bytes</th>
          <th className="num">Malformed</th>
          <th className="num">Gaps</th>
          <th>Last seen</th>
        </tr>
      </thead>
      <tbody>
        {sensors.map((s) => (
          <tr key={s.id} data-sensor={s.id}>
            <td>
              <div className="mono">{s.name ?? s.address}</div>
              {s.name && <div className="muted small mono">{s.address}</div>}
              {s.mac && <div className="muted small mono">{s.mac}</div>}
            </td>
            <td>
              {s.linktypes.map((l) => linktypeName(l).long).join(', ') || '—'}
              {s.unknownEncapsulations.length > 0 && (
                <div className="warn small">unknown encapsulation {s.unknownEncapsulations.join(', ')}</div>
              )}
            </td>
            <td className="num mono" data-field="packets">
              {count(s.packets)}
            </td>
            <td className="num mono">
              {Math.round(s.packetsPerSecond)} pkt/s
              <div className="muted small">{bits(s.bitsPerSecond)}</div>
            </td>
            <td className="spark">
              <Sparkline values={s.history} />
            </td>
            <td className="num mono">{bytes(s.bytes)}</td>
            <td className={`num mono ${s.malformed ? 'warn' : ''}`} title={s.lastMalformed ?? undefined}>
              {count(s.malformed)}
            </td>
            <td className={`num mono ${s.gaps ? 'warn' : ''}`} title="packet ids (tag 40) that never arrived">
              {count(s.gaps)}
            </td>
            <td className="muted">{ago(s.lastSeen, now)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
