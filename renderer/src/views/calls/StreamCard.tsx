// One RTP stream: its figures and two small charts from its per-second series — jitter as a line, loss as bars
// at the seconds where packets went missing. Long streams are folded to the chart's width (the worst second of
// each pixel kept), so a one-second burst of loss in an hour-long call still shows.
import type { RtpStream } from '../../../../main/calls/contract.ts';
import { endpointText } from '../../../../main/display/call-ladder.ts';
import { foldSeries, mosClass } from './figures.ts';

const chartWidth = 240;
const chartHeight = 40;

function Chart({ values, kind, label, unit }: { values: number[]; kind: 'line' | 'bars'; label: string; unit: string }) {
  const peak = Math.max(0, ...values);
  const scale = peak > 0 ? (chartHeight - 4) / peak : 0;
  const step = chartWidth / Math.max(1, values.length);
  const y = (v: number) => chartHeight - 1 - v * scale;
  return (
    <figure className="stream-chart" data-chart={label} data-peak={peak}>
      <figcaption className="muted small">
        {label} · peak {peak.toFixed(kind === 'bars' ? 0 : 1)} {unit}
      </figcaption>
      <svg
        width={chartWidth}
        height={chartHeight}
        viewBox={`0 0 ${chartWidth} ${chartHeight}`}
        role="img"
        aria-label={`${label} per second, peak ${peak} ${unit}`}
      >
        <line className="chart-base" x1={0} x2={chartWidth} y1={chartHeight - 0.5} y2={chartHeight - 0.5} />
        {kind === 'bars'
          ? values.map((v, i) =>
              v > 0 ? (
                <rect
                  // biome-ignore lint/suspicious/noArrayIndexKey: a bar is its second
                  key={i}
                  className="chart-loss"
                  data-second={i}
                  x={i * step}
                  y={y(v)}
                  width={Math.max(1, step - 0.5)}
                  height={chartHeight - 1 - y(v)}
                />
              ) : null,
            )
          : values.length > 1 && (
              <polyline
                className="chart-jitter"
                points={values.map((v, i) => `${(i * step + step / 2).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}
                fill="none"
              />
            )}
      </svg>
    </figure>
  );
}

export function StreamCard({ stream }: { stream: RtpStream }) {
  const jitter = foldSeries(stream.series, (p) => p.jitterMs, chartWidth);
  const loss = foldSeries(stream.series, (p) => p.lost, chartWidth);
  return (
    <div className="stream-card card" data-stream={stream.id} data-lost={stream.lost}>
      <div className="stream-title mono small">
        {endpointText(stream.src, stream.sport)} → {endpointText(stream.dst, stream.dport)}{' '}
        <span className="muted">SSRC 0x{stream.ssrc.toString(16).padStart(8, '0')}</span>
      </div>
      <dl className="stream-facts">
        <div>
          <dt>Codec</dt>
          <dd>{stream.codec}</dd>
        </div>
        <div>
          <dt>Packets</dt>
          <dd className="mono">{stream.packets}</dd>
        </div>
        <div>
          <dt>Lost</dt>
          <dd className={`mono ${stream.lost > 0 ? 'bad' : ''}`}>
            {stream.lost} ({((100 * Math.max(0, stream.lost)) / Math.max(1, stream.expected)).toFixed(1)}%)
          </dd>
        </div>
        <div>
          <dt>Jitter</dt>
          <dd className="mono">
            {stream.meanJitterMs.toFixed(1)} / {stream.maxJitterMs.toFixed(1)} ms
          </dd>
        </div>
        <div>
          <dt>MOS</dt>
          <dd className={`mono ${mosClass(stream.mos)}`}>{stream.mos?.toFixed(2) ?? '—'}</dd>
        </div>
        {stream.dtmf && (
          <div>
            <dt>DTMF</dt>
            <dd className="mono">{stream.dtmf}</dd>
          </div>
        )}
      </dl>
      <div className="stream-charts">
        <Chart values={jitter} kind="line" label="Jitter" unit="ms" />
        <Chart values={loss} kind="bars" label="Loss" unit="pkt/s" />
      </div>
    </div>
  );
}
