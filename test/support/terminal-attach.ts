// A terminal of the service watched as a renderer would: its output rendered by headless xterm and
// acknowledged once written, its exit awaited; and a wait for text on its screen.
import type { TerminalEvent } from '../../main/terminal/contract.ts';
import type { InProcess } from '../../main/host/in-process.ts';
import { bufferText, headlessTerminal, type HeadlessTerminal } from './xterm.ts';

export interface Attached {
  term: HeadlessTerminal;
  exit: Promise<Extract<TerminalEvent, { type: 'exit' }>>;
  stop(): void;
}

export function attachTerminal(lanyard: InProcess, id: string, cols = 120, rows = 40): Attached {
  const term = headlessTerminal(cols, rows);
  let resolveExit!: (e: Extract<TerminalEvent, { type: 'exit' }>) => void;
  const exit = new Promise<Extract<TerminalEvent, { type: 'exit' }>>((r) => (resolveExit = r));
  const stop = lanyard.api.terminal.output(
    { id },
    {
      next: (event) => {
        if (event.type === 'exit') return resolveExit(event);
        // A chunk written after the test closed the terminal has no one left to acknowledge it to.
        term.write(event.data, () => void lanyard.api.terminal.ack({ id, chars: event.data.length }).catch(() => undefined));
      },
    },
  );
  return { term, exit, stop };
}

export async function waitForText(term: HeadlessTerminal, pattern: RegExp, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(bufferText(term))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; screen:\n${bufferText(term)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
