// A run's exit status as a small badge: ✓, ✗ and the code, or ? when the run did not report one.
export function ExitBadge({ exit }: { exit: number | null }) {
  if (exit === null)
    return (
      <span className="badge badge-pending" title="exit status unknown">
        ?
      </span>
    );
  return exit === 0 ? (
    <span className="badge badge-ok" title="exit 0">
      ✓
    </span>
  ) : (
    <span className="badge badge-error" title={`exit ${exit}`}>
      ✗ {exit}
    </span>
  );
}
