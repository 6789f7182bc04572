// Hardening every web contents gets, whoever created it (VS Code and Electron's security checklist).
import { app, session, type WebContents } from 'electron';
import { isOwnPage } from './own-page.ts';

export function hardenApp(): void {
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents: WebContents) => {
    // Also covers middle-click (auxclick) and target=_blank: no page ever opens a window.
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (!isOwnPage(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isOwnPage(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  app.whenReady().then(() => {
    const ses = session.defaultSession;
    ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    ses.setPermissionCheckHandler(() => false);
    ses.setDevicePermissionHandler(() => false);
  });
}
