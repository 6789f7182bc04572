// Small pure formatters shared by the CLI, the Ctrl+R picker and the History view.

/** "now", "42s", "5m", "3h", "2d", "6w", "4mo", "2y". */
/** "just now" or "5m ago", for a sentence. */
export function agoPhrase(ms: number, now = Date.now()): string {
  const t = timeAgo(ms, now);
  return t === 'now' ? 'just now' : `${t} ago`;
}

export function timeAgo(ms: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 5) return 'now';
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  if (s < 14 * 86_400) return `${Math.floor(s / 86_400)}d`;
  if (s < 60 * 86_400) return `${Math.floor(s / (7 * 86_400))}w`;
  if (s < 365 * 86_400) return `${Math.floor(s / (30 * 86_400))}mo`;
  return `${Math.floor(s / (365 * 86_400))}y`;
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  return m < 60 ? `${m} min ${Math.round((ms % 60_000) / 1000)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A one-line view of a command: newlines and tabs shown as ↵ and ⇥. */
export function oneLine(command: string): string {
  return command.replace(/\r?\n/g, ' ↵ ').replace(/\t/g, '⇥');
}

/** ~ for the home folder, and the middle elided when too long. */
export function shortPath(dir: string | null, home: string | null, width = 30): string {
  if (dir === null) return '';
  let text = home && (dir === home || dir.startsWith(`${home}/`)) ? `~${dir.slice(home.length)}` : dir;
  if (text.length > width) text = `…${text.slice(text.length - width + 1)}`;
  return text;
}

/** "3h", "2d", "1w" before now, an ISO date, or ms since the epoch → ms since the epoch; null if unreadable. */
export function parseWhen(text: string, now = Date.now()): number | null {
  const rel = /^(\d+(?:\.\d+)?)(s|m|h|d|w|y)$/.exec(text.trim());
  if (rel) {
    const unit = { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8, y: 3.1536e10 }[rel[2] as 's'];
    return now - Number(rel[1]) * unit;
  }
  if (/^\d{11,}$/.test(text)) return Number(text);
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : date;
}
