// @xterm/headless as the judge of what a terminal shows (it is CommonJS: the default import holds Terminal).
import xterm from '@xterm/headless';

export type HeadlessTerminal = InstanceType<typeof xterm.Terminal>;

export function headlessTerminal(cols = 100, rows = 30, scrollback = 1000): HeadlessTerminal {
  return new xterm.Terminal({ cols, rows, scrollback, allowProposedApi: true });
}

/** Every line of the buffer (scrollback and screen), right-trimmed, as one text. */
export function bufferText(term: HeadlessTerminal): string {
  const buffer = term.buffer.active;
  const lines: string[] = [];
  for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? '');
  return lines.join('\n').replace(/\n+$/, '');
}

export function writeAsync(term: HeadlessTerminal, data: string): Promise<void> {
  return new Promise((resolve) => term.write(data, resolve));
}
