/** Packets per second over the last minute, as a small line; the peak is in the tooltip. */
export function Sparkline({ values, width = 120, height = 22 }: { values: number[]; width?: number; height?: number }) {
  const peak = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 1 - (v / peak) * (height - 2)).toFixed(1)}`).join(' ');
  return (
    <svg
      className="sparkline"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`rate over the last minute, peak ${peak} packets per second`}
    >
      <title>{`peak ${peak} pkt/s over the last ${values.length} s`}</title>
      {values.length > 1 && <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" />}
    </svg>
  );
}
