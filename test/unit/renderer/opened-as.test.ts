// The footer says how the page was opened: Electron's window, `lanyard app`'s app window, or a serve tab.
import { describe, expect, it } from 'vitest';
import { openedAs } from '../../../renderer/src/api/opened-as.ts';

describe('openedAs', () => {
  it('tells the three apart from the transport and the URL lanyard app opens', () => {
    expect(openedAs('electron', '')).toBe('Desktop');
    expect(openedAs('websocket', '')).toBe('Browser (lanyard serve)');
    expect(openedAs('websocket', '?window=app')).toBe('App window (lanyard app)');
    expect(openedAs('websocket', '?window=other')).toBe('Browser (lanyard serve)');
  });
});
