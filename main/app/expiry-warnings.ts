// Which issued certificates deserve an expiry notification now. No Electron here, so it is unit-tested.
import type { InventoryEntry } from '../certs/contract.ts';

export const warnDays = 14;

export interface ExpiryWarning {
  /** One warning per certificate per expiry date: a renewed certificate gets a new key. */
  key: string;
  title: string;
  body: string;
}

export function dueWarnings(entries: readonly InventoryEntry[], alreadyWarned: ReadonlySet<string>): ExpiryWarning[] {
  return entries
    .filter((e) => e.daysLeft <= warnDays)
    .map((e) => {
      const name = e.names[0]?.value ?? `certificate ${e.id}`;
      const more = e.names.length > 1 ? ` (+${e.names.length - 1})` : '';
      const when =
        e.daysLeft < 0
          ? `expired ${-e.daysLeft} day${e.daysLeft === -1 ? '' : 's'} ago`
          : e.daysLeft === 0
            ? 'expires today'
            : `expires in ${e.daysLeft} day${e.daysLeft === 1 ? '' : 's'}`;
      return {
        key: `${e.id}:${e.notAfter}`,
        title: `Certificate for ${name}${more} ${when}`,
        body: `Renew it in Lanyard's Certificates view, or run: lanyard cert renew ${e.id}`,
      };
    })
    .filter((w) => !alreadyWarned.has(w.key));
}
