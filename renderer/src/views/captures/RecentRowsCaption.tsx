// A table that carries only the most recently seen rows of a status says so when there are more.
import { count } from './format.ts';

export function RecentRowsCaption({ shown, total, noun }: { shown: number; total: number; noun: string }) {
  if (total <= shown) return null;
  return (
    <caption className="muted small">
      The {shown} most recently seen of {count(total)} {noun}
    </caption>
  );
}
