// Electron main: windows, menu, tray, security. Services live in the utilityProcess host, never here.
import { app, BrowserWindow, dialog, nativeTheme, type UtilityProcess } from 'electron';
import { resolveDataDir, ensurePrivateDir } from '../system/data-dir.ts';
import { startExpiryNotifier } from './expiry-notifier.ts';
import { acceptConnections, startHost } from './host-launcher.ts';
import { installMenu } from './menu.ts';
import { appOrigin, preloadEntry } from './paths.ts';
import { registerSchemeBeforeReady, serveRenderer } from './protocol.ts';
import { hardenApp } from './security.ts';
import { installTray } from './tray.ts';
import { loadWindowState, trackWindowState } from './window-state.ts';
import { views } from '../contract/tools.ts';

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const dataDir = resolveDataDir().path;
  let window: BrowserWindow | null = null;
  let host: UtilityProcess | null = null;

  registerSchemeBeforeReady();
  hardenApp();

  const showWindow = () => {
    if (!window) return createWindow();
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };
  const showView = (view: string) => {
    showWindow();
    // Same-document navigation: the shell follows the hash.
    void window?.loadURL(`${appOrigin}/index.html#/${view}`);
  };
  let stopNotifier = () => {};

  function createWindow(): void {
    const state = loadWindowState(dataDir);
    window = new BrowserWindow({
      ...state.bounds,
      minWidth: 760,
      minHeight: 480,
      show: false,
      title: 'Lanyard',
      // The page's own background, so no white flash before the first paint in dark mode.
      backgroundColor: nativeTheme.shouldUseDarkColors ? '#151917' : '#f6f7f5',
      webPreferences: {
        preload: preloadEntry,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        navigateOnDragDrop: false,
        spellcheck: false,
      },
    });
    if (state.maximized) window.maximize();
    trackWindowState(window, dataDir);
    window.once('ready-to-show', () => window?.show());
    window.on('closed', () => {
      window = null;
    });
    void window.loadURL(`${appOrigin}/index.html`);
  }

  app.on('second-instance', showWindow);

  app.whenReady().then(() => {
    ensurePrivateDir(dataDir);
    serveRenderer();
    const watchExpiry = (running: UtilityProcess) => {
      stopNotifier();
      stopNotifier = startExpiryNotifier(running, dataDir, () => showView('certs'));
    };
    const restart = (reason: string) => {
      dialog.showErrorBox('Lanyard', `Lanyard's services stopped (${reason}). They will restart and the window will reload.`);
      host = startHost(() => app.quit());
      watchExpiry(host);
      window?.reload();
    };
    host = startHost(restart);
    watchExpiry(host);
    acceptConnections(
      () => host as UtilityProcess,
      (contents) => window !== null && contents.id === window.webContents.id,
    );
    installMenu(() => window, views);
    installTray(showWindow);
    createWindow();
  });

  app.on('activate', showWindow);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => {
    stopNotifier();
    host?.kill();
  });
}
