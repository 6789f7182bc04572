import { app, Menu, nativeImage, Tray } from 'electron';
import path from 'node:path';
import { resourcesDir } from './paths.ts';

export function installTray(showWindow: () => void): Tray {
  const tray = new Tray(nativeImage.createFromPath(path.join(resourcesDir(app.isPackaged), 'icons', 'tray.png')));
  tray.setToolTip('Lanyard');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Show Lanyard', click: showWindow },
      { type: 'separator' },
      { label: 'Quit Lanyard', click: () => app.quit() },
    ]),
  );
  tray.on('click', showWindow);
  return tray;
}
