// The Ctrl+R picker (`lanyard history search -i`). Draws on /dev/tty, because the shell captures stdout:
// the chosen command is printed there and the hook puts it on the prompt for editing; it is never run here.
// Exit 0 with a command, 1 when cancelled (Esc, Ctrl+C, Ctrl+G) so the shell leaves its line alone.
import { openSync } from 'node:fs';
import os from 'node:os';
import tty from 'node:tty';
import { oneLine, shortPath, timeAgo } from '../../display/history-format.ts';
import type { HistoryRow, SearchQuery } from '../contract.ts';
import type { HistoryService } from '../service.ts';
import { openHistoryService } from './history-direct.ts';

export interface PickerOptions {
  query: string;
  /** The calling shell's session id, for the "this session" scope. */
  session: string | null;
  cwd: string;
  /** For tests: the terminal to draw on and read from. */
  input?: NodeJS.ReadStream & { setRawMode?(mode: boolean): unknown };
  output?: NodeJS.WriteStream;
  /** Where the chosen command goes (the shell's $(…)). */
  result?: (command: string) => void;
}

type Scope = 'global' | 'session' | 'directory';
const scopeLabel: Record<Scope, string> = { global: 'everywhere', session: 'this session', directory: 'this directory' };

const esc = '\u001b[';
const css = {
  dim: (t: string) => `${esc}2m${t}${esc}22m`,
  bold: (t: string) => `${esc}1m${t}${esc}22m`,
  inverse: (t: string) => `${esc}7m${t}${esc}27m`,
  red: (t: string) => `${esc}31m${t}${esc}39m`,
  green: (t: string) => `${esc}32m${t}${esc}39m`,
};

/** Cut to `width` terminal cells (one per code point: close enough for commands). */
function fit(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

/** Split what the terminal sent into keys: CSI/SS3 sequences, a lone Esc, control characters, text. */
export function splitKeys(data: string): string[] {
  const keys: string[] = [];
  const pattern = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001bO.|\u001b|[\u0000-\u001f\u007f]|[^\u0000-\u001f\u007f]+/gy;
  for (const m of data.matchAll(pattern)) keys.push(m[0]);
  return keys;
}

export async function runPicker(options: PickerOptions): Promise<number> {
  let input = options.input;
  let output = options.output;
  if (!input || !output) {
    const fd = openSync('/dev/tty', 'r+');
    input = new tty.ReadStream(fd);
    output = new tty.WriteStream(fd);
  }
  const home = os.homedir();
  let query = options.query;
  let scope: Scope = 'global';
  let rows: HistoryRow[] = [];
  let more = false;
  let selected = 0;
  let service: HistoryService | null = null;
  /** While an existing database is brought up to date for this version, the first time. */
  let upgrading = false;
  const height = () => Math.max(3, (output.rows || 24) - 3);
  const width = () => Math.max(20, output.columns || 80);

  const draw = () => {
    const w = width();
    const lines: string[] = [];
    const scopes = (['global', 'session', 'directory'] as const).filter((s) => s !== 'session' || options.session);
    const header = `${css.bold('Lanyard history')}  ${scopes.map((s) => (s === scope ? css.inverse(` ${scopeLabel[s]} `) : css.dim(` ${scopeLabel[s]} `))).join('')}`;
    lines.push(
      `${header}  ${css.dim(upgrading ? 'updating the database (once)…' : service ? `${rows.length}${more ? '+' : ''} found` : 'loading…')}`,
    );
    lines.push(`${css.bold('›')} ${query}`);
    const h = height();
    for (let i = 0; i < h; i++) {
      const row = rows[i];
      if (!row) {
        lines.push('');
        continue;
      }
      const exit = row.exit === null ? css.dim('· ') : row.exit === 0 ? css.green('✓ ') : css.red(`✗${row.exit}`.padEnd(2));
      const meta = `${timeAgo(row.startedAt).padStart(4)} ${exit} ${css.dim(shortPath(row.cwd, home, 20).padEnd(20))} `;
      const text = fit(oneLine(row.command), w - 31);
      lines.push(i === selected ? css.inverse(`${meta}${text}`) : `${meta}${text}`);
    }
    lines.push(css.dim('Enter: put on prompt · Esc: leave · ↑↓: move · Ctrl+R: everywhere / session / directory'));
    // Home, then each line cleared to its end: no flicker from a full clear.
    output.write(`${esc}H${lines.map((l) => `${l}${esc}K`).join('\r\n')}${esc}J${esc}2;${3 + [...query].length}H`);
  };

  const refresh = () => {
    if (!service) return;
    const q: SearchQuery = { query, mode: 'substring', below: true, group: 'command', limit: height() };
    if (scope === 'session' && options.session) q.session = options.session;
    if (scope === 'directory') q.cwd = options.cwd;
    const result = service.search(q);
    rows = result.rows;
    more = result.more;
    selected = Math.min(selected, Math.max(0, rows.length - 1));
  };

  output.write(`${esc}?1049h${esc}H`);
  input.setRawMode?.(true);
  input.resume();
  draw();

  const finish = (command: string | null) => {
    input.setRawMode?.(false);
    output.write(`${esc}?1049l`);
    // Let go of the terminal now: a lingering reader would swallow the keys the shell reads next.
    input.destroy();
    if (command !== null) (options.result ?? ((c: string) => process.stdout.write(c)))(command);
    return command === null ? 1 : 0;
  };

  const outcome = new Promise<number>((resolve) => {
    let done = false;
    const press = (key: string) => {
      if (done) return;
      if (key === '\r' || key === '\n' || key === '\u001b' || key === '\u0003' || key === '\u0007') {
        done = true;
        return resolve(finish(key === '\r' || key === '\n' ? (rows[selected]?.command ?? null) : null));
      }
      if (key === `${esc}A` || key === '\u0010' || key === '\u001bOA') selected = Math.max(0, selected - 1);
      else if (key === `${esc}B` || key === '\u000e' || key === '\u001bOB') selected = Math.min(Math.max(0, rows.length - 1), selected + 1);
      else if (key === '\u0012') {
        const order: Scope[] = options.session ? ['global', 'session', 'directory'] : ['global', 'directory'];
        scope = order[(order.indexOf(scope) + 1) % order.length]!;
        selected = 0;
        refresh();
      } else if (key === '\u007f' || key === '\b') {
        query = [...query].slice(0, -1).join('');
        selected = 0;
        refresh();
      } else if (key === '\u0015') {
        query = '';
        selected = 0;
        refresh();
      } else if (!key.startsWith('\u001b') && !/[\u0000-\u001f]/.test(key)) {
        query += key;
        selected = 0;
        refresh();
      }
      draw();
    };
    input.on('data', (chunk: Buffer) => splitKeys(chunk.toString('utf8')).forEach(press));
  });

  // The frame is up; now open the store and fill it.
  service = await openHistoryService(() => {
    upgrading = true;
    draw();
  });
  refresh();
  upgrading = false;
  draw();
  const code = await outcome;
  service.close();
  return code;
}
