import { app, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';

/**
 * Application menu. Shortcuts belong to the renderer (they work the same in a browser under `lanyard serve`),
 * so the menu shows them without registering them, and a click replays the same keystroke.
 */
export function installMenu(getWindow: () => BrowserWindow | null, views: readonly { id: string; label: string }[]): void {
  const press = (key: string, withMod: boolean) => () => {
    const contents = getWindow()?.webContents;
    if (!contents) return;
    const modifiers: ('meta' | 'control')[] = withMod ? [process.platform === 'darwin' ? 'meta' : 'control'] : [];
    contents.sendInputEvent({ type: 'keyDown', keyCode: key, modifiers });
    contents.sendInputEvent({ type: 'keyUp', keyCode: key, modifiers });
  };
  const shortcut = (label: string, key: string): MenuItemConstructorOptions => ({
    label,
    accelerator: `CmdOrCtrl+${key}`,
    registerAccelerator: false,
    click: press(key, true),
  });
  // The palette's other key, F1, reaches it even from a terminal, where Ctrl+K belongs to the shell.
  const palette: MenuItemConstructorOptions = {
    label: 'Command Palette…',
    accelerator: 'CmdOrCtrl+K',
    registerAccelerator: false,
    click: press('F1', false),
  };
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    { label: 'File', submenu: [isMac ? { role: 'close' } : { role: 'quit' }] },
    { role: 'editMenu' },
    { label: 'Go', submenu: [palette, { type: 'separator' }, ...views.map((view, index) => shortcut(view.label, String(index + 1)))] },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ type: 'separator' as const }, { role: 'reload' as const }, { role: 'toggleDevTools' as const }]),
      ],
    },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
