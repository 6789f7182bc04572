// A call's messages as a ladder (sngrep's flow): one column per address:port, one arrow per message. The
// layout is shared by the Calls view and `lanyard calls flow`; this file only arranges, it does not draw.
import type { SipMessage } from '../calls/contract.ts';

export interface LadderArrow {
  /** Column indexes. */
  from: number;
  to: number;
  label: string;
  ts: number;
  retransmission: boolean;
  hasSdp: boolean;
  /** Index into the call's messages, to show the whole message on click. */
  message: number;
}

export interface Ladder {
  columns: string[];
  arrows: LadderArrow[];
}

export function endpointText(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

export function messageLabel(m: SipMessage): string {
  const label = m.method ?? m.firstLine.slice(8);
  return m.hasSdp ? `${label} (SDP)` : label;
}

export function callLadder(messages: readonly SipMessage[]): Ladder {
  const columns: string[] = [];
  const index = new Map<string, number>();
  const column = (endpoint: string): number => {
    let i = index.get(endpoint);
    if (i === undefined) {
      i = columns.push(endpoint) - 1;
      index.set(endpoint, i);
    }
    return i;
  };
  const arrows = messages.map((m, i) => ({
    from: column(endpointText(m.src, m.sport)),
    to: column(endpointText(m.dst, m.dport)),
    label: messageLabel(m),
    ts: m.ts,
    retransmission: m.retransmission,
    hasSdp: m.hasSdp,
    message: i,
  }));
  return { columns, arrows };
}

/** "HH:MM:SS.mmm" in UTC, from µs since the epoch. */
export function clockText(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString().slice(11, 23);
}

/** The ladder as monospace text, one line per column header and one per arrow. */
export function ladderText(ladder: Ladder, width = 26): string {
  const timeWidth = 14;
  const mid = Math.floor((width - 1) / 2);
  const lines = [' '.repeat(timeWidth) + ladder.columns.map((c) => center(c, width)).join('')];
  lines.push(' '.repeat(timeWidth) + ladder.columns.map(() => center('|', width)).join(''));
  for (const a of ladder.arrows) {
    const row = Array.from<unknown, string>({ length: ladder.columns.length * width }, (_, i) => (i % width === mid ? '|' : ' '));
    const left = Math.min(a.from, a.to) * width + mid;
    const right = Math.max(a.from, a.to) * width + mid;
    if (left === right) {
      row.splice(left + 1, 3, '<', '-', '>');
    } else {
      for (let i = left + 1; i < right; i++) row[i] = '-';
      if (a.to > a.from) row[right - 1] = '>';
      else row[left + 1] = '<';
    }
    const label = a.retransmission ? `${a.label} (retransmission)` : a.label;
    const span = Math.max(0, right - left - 3);
    const text = label.length > span ? label.slice(0, span) : label;
    const at = left + 2 + Math.floor((span - text.length) / 2);
    for (let i = 0; i < text.length; i++) row[at + i] = text[i]!;
    lines.push(`${clockText(a.ts).padEnd(timeWidth)}${row.join('').trimEnd()}`);
  }
  return lines.join('\n');
}

function center(text: string, width: number): string {
  const t = text.length > width - 1 ? text.slice(0, width - 1) : text;
  const left = Math.floor((width - t.length) / 2);
  return (' '.repeat(left) + t).padEnd(width);
}
