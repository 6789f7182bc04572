import { app, Menu, nativeImage, Tray } from 'electron';
import { iconFile } from './paths.ts';

export function installTray(showWindow: () => void): Tray {
  const tray = new Tray(nativeImage.createFromPath(iconFile));
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
