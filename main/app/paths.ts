import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** out/app, where the Electron main bundle lives; the host, preload and renderer sit beside it. */
const appOut = path.dirname(fileURLToPath(import.meta.url));

export const hostEntry = path.join(appOut, '..', 'host.js');
export const preloadEntry = path.join(appOut, 'preload.cjs');
export const rendererRoot = path.join(appOut, '..', 'renderer');
export const iconFile = path.join(appOut, '..', '..', 'resources', 'icons', 'tray.png');

/** The renderer's origin: a privileged custom scheme, never file://. */
export const appScheme = 'app';
export const appOrigin = 'app://lanyard';
