// What each view folder exports from its index.ts: `export const view: ViewRegistration`. Kept light (no view code),
// since the registry reads every folder's index.ts up front to draw the navigation and the palette.
import type { ComponentType } from 'react';
import type { PaletteCommand } from '../components/CommandPalette.tsx';

export interface ViewRegistration {
  icon: string;
  /** The view's component; its module (and libraries: xterm, charts) loads on first open. */
  load(): Promise<ComponentType>;
  /** Palette commands the view offers; each runs once the view is shown. */
  actions: Omit<PaletteCommand, 'group'>[];
}

/** A palette action that tells the view by a window event (the view listens once its code has loaded). */
export const fire = (name: string) => () => window.dispatchEvent(new Event(name));
