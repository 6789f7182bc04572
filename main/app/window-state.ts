// Remembers the window's size and position between runs, in the data folder.
import { screen, type BrowserWindow, type Rectangle } from 'electron';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

interface SavedState {
  bounds: Rectangle;
  maximized: boolean;
}

const defaults: SavedState = { bounds: { x: 0, y: 0, width: 1200, height: 780 }, maximized: false };

export function loadWindowState(dataDir: string): SavedState {
  try {
    const saved = JSON.parse(readFileSync(path.join(dataDir, 'window-state.json'), 'utf8')) as SavedState;
    // A monitor may have gone away since: only reuse bounds that still land on a display.
    const visible = screen.getAllDisplays().some((d) => {
      const a = d.workArea;
      return (
        saved.bounds.x < a.x + a.width &&
        saved.bounds.x + saved.bounds.width > a.x &&
        saved.bounds.y < a.y + a.height &&
        saved.bounds.y + saved.bounds.height > a.y
      );
    });
    return visible ? saved : { ...defaults, bounds: { ...saved.bounds, x: defaults.bounds.x, y: defaults.bounds.y } };
  } catch {
    return defaults;
  }
}

export function trackWindowState(window: BrowserWindow, dataDir: string): void {
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    if (window.isDestroyed()) return;
    const state: SavedState = { bounds: window.getNormalBounds(), maximized: window.isMaximized() };
    writeFileSync(path.join(dataDir, 'window-state.json'), JSON.stringify(state), { mode: 0o600 });
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 400);
  };
  window.on('resize', later);
  window.on('move', later);
  window.on('close', () => {
    clearTimeout(timer);
    save();
  });
}
