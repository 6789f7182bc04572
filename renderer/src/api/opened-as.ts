// How this page was opened, for the footer: Electron's window, `lanyard app`'s app-mode browser window, or a
// browser tab of `lanyard serve`. The host's transport tells Electron from a WebSocket; `lanyard app` marks its
// window's URL with `?window=app` (a query, not the fragment: it is no secret, and a reload keeps it).
import type { AppInfo } from '../../../main/contract/app.ts';

export function openedAs(transport: AppInfo['transport'], search: string): string {
  if (transport !== 'websocket') return 'Desktop';
  return new URLSearchParams(search).get('window') === 'app' ? 'App window (lanyard app)' : 'Browser (lanyard serve)';
}
