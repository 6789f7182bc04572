// What is left of a certificate's life, as `lanyard cert list` and the Certificates view both say it: revoked, expired
// N days ago, hours when under a day (ACME certificates live hours or days), else days, with a tone for the badge.
// Pure: the page and the CLI share it.

export interface TimeLeft {
  text: string;
  /** error: revoked or expired; warn: within the 14-day warning; ok: fine. */
  tone: 'error' | 'warn' | 'ok';
}

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
/** Days within which a certificate counts as expiring soon: the badge's warn tone and the view's warning. */
export const expiryWarningDays = 14;

export function timeLeft(notAfter: string, revokedAt: string | null = null, now = Date.now()): TimeLeft {
  if (revokedAt) return { text: 'revoked', tone: 'error' };
  const leftMs = Date.parse(notAfter) - now;
  if (leftMs < 0) {
    const ago = Math.floor(-leftMs / dayMs);
    return { text: ago === 0 ? `expired ${Math.max(1, Math.floor(-leftMs / hourMs))} h ago` : `expired ${ago}d ago`, tone: 'error' };
  }
  const days = Math.floor(leftMs / dayMs);
  if (days === 0) return { text: `${Math.floor(leftMs / hourMs)} h`, tone: 'warn' };
  return { text: `${days} day${days === 1 ? '' : 's'}`, tone: days <= expiryWarningDays ? 'warn' : 'ok' };
}
