import { spawn } from 'node:child_process';
import { which } from '../system/which.ts';

/** Hand a URL to the desktop's browser; say so plainly when there is none. */
export async function openInBrowser(url: string): Promise<void> {
  const [file, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  if (process.platform === 'linux' && (!which(file) || (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY))) {
    process.stdout.write('No desktop browser to open here: copy the URL above into a browser.\n');
    return;
  }
  await new Promise<void>((resolve) => {
    const child = spawn(file, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => {
      process.stdout.write('Could not open a browser: copy the URL above into one.\n');
      resolve();
    });
    child.on('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
