// The one progress bar: Doctor's checks, History's import and re-scan.

export function ProgressBar({ label, done, total, running }: { label: string; done: number; total: number; running: boolean }) {
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={done}
      data-running={running}
    >
      <div className="progress-fill" style={{ width: `${(100 * done) / Math.max(1, total)}%` }} />
    </div>
  );
}
