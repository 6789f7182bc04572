// Serves the built renderer under app://lanyard/ with a strict CSP; nothing outside rendererRoot is reachable.
import { net, protocol } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { appScheme, rendererRoot } from './paths.ts';
import { contentSecurityPolicy } from '../system/content-security-policy.ts';

export function registerSchemeBeforeReady(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

export function serveRenderer(): void {
  protocol.handle(appScheme, async (request) => {
    const url = new URL(request.url);
    const relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = path.resolve(rendererRoot, `.${path.posix.normalize(relative)}`);
    if (url.host !== 'lanyard' || !file.startsWith(rendererRoot + path.sep)) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', contentSecurityPolicy);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}
