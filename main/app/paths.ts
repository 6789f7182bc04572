import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** out/app, where the Electron main bundle lives; the host, preload and renderer sit beside it. */
const appOut = path.dirname(fileURLToPath(import.meta.url));

export const hostEntry = path.join(appOut, '..', 'host.js');
export const preloadEntry = path.join(appOut, 'preload.cjs');
export const rendererRoot = path.join(appOut, '..', 'renderer');
/** resources/ beside the app: the source tree in development, extraResources when packaged. */
export function resourcesDir(isPackaged: boolean): string {
  return isPackaged ? path.join(process.resourcesPath, 'resources') : path.join(appOut, '..', '..', 'resources');
}

/** The renderer's origin: a privileged custom scheme, never file://. */
export const appScheme = 'app';
export const appOrigin = 'app://lanyard';
