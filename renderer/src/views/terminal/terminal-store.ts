// The terminal tabs, kept outside React so a tab's screen and scrollback survive switching views.
// Each tab is an xterm.js Terminal fed from `terminal.output`; every chunk is acknowledged once xterm has
// parsed it, which is what lets the service host pause a flood (flow control) instead of growing memory.
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import type { LanyardApi } from '../../../../main/contract/api.ts';
import type { TerminalEvent, TerminalInfo } from '../../../../main/terminal/contract.ts';
import { allowTerminalStylesIn, pruneDetachedSheets, routeStyleElementsToSheets } from './csp-styles.ts';
import { appShortcut } from '../../shortcuts.ts';

export interface Tab {
  info: TerminalInfo;
  term: Terminal;
  fit: FitAddon;
  search: SearchAddon;
  /** The element the terminal renders into; moved between panes, never re-created. */
  element: HTMLDivElement;
  opened: boolean;
  exit: Extract<TerminalEvent, { type: 'exit' }> | null;
  dispose(): void;
}

export interface TerminalStore {
  tabs(): Tab[];
  active(): string | null;
  setActive(id: string): void;
  /** Start the user's shell (or a command line) in a new tab. */
  open(options?: { command?: string; title?: string; cwd?: string; input?: { command: string; shell: string | null } }): Promise<Tab>;
  /** Show a terminal the host already started (a cheat run). */
  adopt(info: TerminalInfo): Tab;
  close(id: string): void;
  subscribe(listener: () => void): () => void;
}

/** Acks are batched: one message per few KB instead of one per chunk. */
const ackBatchChars = 4096;

function theme(): { background: string; foreground: string; cursor: string; selectionBackground: string } {
  const dark = window.matchMedia('(prefers-color-scheme: dark)').matches;
  return dark
    ? { background: '#101412', foreground: '#dfe6e1', cursor: '#58b39a', selectionBackground: '#2f6f5e88' }
    : { background: '#fbfcfa', foreground: '#1d2420', cursor: '#2f6f5e', selectionBackground: '#2f6f5e44' };
}

export function createTerminalStore(api: LanyardApi): TerminalStore {
  routeStyleElementsToSheets();
  const tabs = new Map<string, Tab>();
  const listeners = new Set<() => void>();
  let activeId: string | null = null;
  let snapshot: Tab[] = [];
  const changed = () => {
    snapshot = [...tabs.values()];
    for (const listener of listeners) listener();
  };

  function adopt(info: TerminalInfo): Tab {
    const existing = tabs.get(info.id);
    if (existing) return existing;
    const term = new Terminal({
      allowProposedApi: true,
      cursorBlink: true,
      fontFamily: "ui-monospace, 'SF Mono', 'Cascadia Mono', 'DejaVu Sans Mono', monospace",
      fontSize: 13,
      scrollback: 5000,
      theme: theme(),
    });
    const fit = new FitAddon();
    const search = new SearchAddon();
    term.loadAddon(fit);
    term.loadAddon(search);
    term.loadAddon(new WebLinksAddon((_event, uri) => window.open(uri, '_blank', 'noopener')));
    term.loadAddon(new Unicode11Addon());
    term.unicode.activeVersion = '11';
    const element = document.createElement('div');
    element.className = 'terminal-host';
    element.dataset.terminalId = info.id;
    allowTerminalStylesIn(element);

    let pendingAck = 0;
    let ackTimer: ReturnType<typeof setTimeout> | null = null;
    const flushAck = () => {
      if (ackTimer) clearTimeout(ackTimer);
      ackTimer = null;
      if (pendingAck === 0) return;
      const chars = pendingAck;
      pendingAck = 0;
      void api.terminal.ack({ id: info.id, chars }).catch(() => {});
    };
    const ack = (chars: number) => {
      pendingAck += chars;
      if (pendingAck >= ackBatchChars) flushAck();
      else ackTimer ??= setTimeout(flushAck, 30);
    };

    const tab: Tab = { info, term, fit, search, element, opened: false, exit: null, dispose: () => {} };
    const stopOutput = api.terminal.output(
      { id: info.id },
      {
        next: (event) => {
          if (event.type === 'data') term.write(event.data, () => ack(event.data.length));
          else {
            tab.exit = event;
            term.write(
              `\r\n\x1b[2m[exited${event.code !== null ? ` with code ${event.code}` : event.signal ? ` on signal ${event.signal}` : ''}]\x1b[0m\r\n`,
            );
            changed();
          }
        },
        error: (error) => term.write(`\r\n\x1b[31m[${error.message}]\x1b[0m\r\n`),
      },
    );
    const input = term.onData((data) => {
      if (!tab.exit) void api.terminal.input({ id: info.id, data }).catch(() => {});
    });
    const resize = term.onResize(({ cols, rows }) => {
      if (!tab.exit) void api.terminal.resize({ id: info.id, cols, rows }).catch(() => {});
    });
    // Ctrl+Shift+C copies the selection (Ctrl+C stays the interrupt); paste arrives as a native paste event.
    term.attachCustomKeyEventHandler((event) => {
      // View switching and F1 reach the app even while the terminal has the keyboard.
      if (appShortcut(event, 'terminal')) return false;
      if (event.type === 'keydown' && event.ctrlKey && event.shiftKey && event.code === 'KeyC' && term.hasSelection()) {
        void navigator.clipboard?.writeText(term.getSelection());
        return false;
      }
      return true;
    });
    tab.dispose = () => {
      stopOutput();
      input.dispose();
      resize.dispose();
      flushAck();
      term.dispose();
      pruneDetachedSheets();
    };
    tabs.set(info.id, tab);
    activeId = info.id;
    changed();
    return tab;
  }

  return {
    tabs: () => snapshot,
    active: () => activeId,
    setActive(id) {
      activeId = id;
      changed();
    },
    async open(options = {}) {
      const info = await api.terminal.open({ cols: 100, rows: 30, ...options });
      return adopt(info);
    },
    adopt,
    close(id) {
      const tab = tabs.get(id);
      if (!tab) return;
      tab.dispose();
      tabs.delete(id);
      void api.terminal.close({ id }).catch(() => {});
      if (activeId === id) activeId = [...tabs.keys()].at(-1) ?? null;
      changed();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Put a tab's element into a pane, opening xterm the first time (it measures the font once attached). */
export function mountTab(tab: Tab, pane: HTMLElement): void {
  if (tab.element.parentElement !== pane) pane.replaceChildren(tab.element);
  if (!tab.opened) {
    tab.term.open(tab.element);
    tab.opened = true;
  }
  try {
    tab.fit.fit();
  } catch {
    // a pane with no size yet (hidden): the next resize fits it
  }
}
