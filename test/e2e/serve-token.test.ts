// `lanyard serve`'s token in real Chromium: it must never reach another server on the same host (issue 11 row 5:
// a host-scoped cookie did), and `--open` must not put it in any process's argv (row 10).
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBundle, nodeBin } from '../support/paths.ts';
import { findPeer } from '../support/peers.ts';
import { launchChromium, screenshot, startServe, type Served } from '../support/serve.ts';
import { tempDir } from '../support/temp-dir.ts';

const chromiumPath = findPeer('chromium', 'apt-get install chromium');

/** The app is up and its WebSocket accepted the token: the footer names the transport only app.info can tell. */
const appConnected = (page: Page) =>
  page.waitForFunction(() => document.querySelector('.sidebar-footer')?.textContent?.includes('Browser (lanyard serve)'), undefined, {
    timeout: 20_000,
  });

describe.skipIf(!chromiumPath)('the serve token in Chromium', () => {
  const home = tempDir();
  let served: Served;
  let browser: Browser;

  beforeAll(async () => {
    served = await startServe({ LANYARD_HOME: home });
    browser = await launchChromium(chromiumPath!);
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('reaches no other server on 127.0.0.1: typed visit, favicon and same-site fetch carry no Lanyard credential', async () => {
    const token = /token=([\w-]+)/.exec(served.url)![1]!;
    const seen: { url: string; headers: string }[] = [];
    const other = http.createServer((request, response) => {
      seen.push({ url: request.url ?? '', headers: JSON.stringify(request.headers) });
      if (request.url === '/') {
        response.writeHead(200, { 'Content-Type': 'text/html' });
        return response.end(
          '<!doctype html><link rel="icon" href="/favicon.ico"><script>fetch("/same-site", { credentials: "include" }).then(() => (document.title = "fetched"))</script>',
        );
      }
      response.writeHead(204).end();
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const otherOrigin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(served.url);
      await appConnected(page);
      expect(page.url()).not.toContain(token);
      // A typed visit to the other server in the same browser, as a user would; its page asks for a favicon and fetches.
      await page.goto(`${otherOrigin}/`);
      await page.waitForFunction(() => document.title === 'fetched');
      await expect.poll(() => seen.some((s) => s.url === '/favicon.ico'), { timeout: 10_000 }).toBe(true);
      expect(seen.map((s) => s.url)).toEqual(expect.arrayContaining(['/', '/same-site', '/favicon.ico']));
      for (const request of seen) {
        expect(request.headers, request.url).not.toContain(token);
        expect(request.headers, request.url).not.toMatch(/lanyard/i);
      }
      // Nothing Lanyard handed the browser is in its cookie jar at all.
      expect(await context.cookies()).toEqual([]);
      await context.close();
    } finally {
      other.close();
    }
  });

  it('keeps the token in the tab: a reload still works, a tab opened without it is told how to get in', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 700 } });
    const page = await context.newPage();
    await page.goto(served.url);
    await appConnected(page);
    await page.reload();
    await appConnected(page);
    const bare = await context.newPage();
    await bare.goto(served.url.replace(/#.*$/, ''));
    await expect.poll(() => bare.locator('h1').textContent()).toBe('Lanyard needs its token');
    await screenshot(bare, 'serve-no-token');
    await context.close();
  });
});

describe.skipIf(!chromiumPath)('serve --open and the app fallback hand the browser a launcher, not the token', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium(chromiumPath!);
  });
  afterAll(() => browser?.close());

  /**
   * Run the CLI with a fake browser that only records its argv; resolve once it ran. `lanyard serve --open` finds it
   * as xdg-open on PATH with a display set; `lanyard app` falls back for want of a display and finds it as $BROWSER.
   */
  async function openedBy(cliArgs: string[], via: 'xdg-open' | 'BROWSER') {
    const home = tempDir();
    const record = path.join(home, 'fake-browser-argv');
    const fakeBin = path.join(home, 'fake-browser-bin');
    const fake = path.join(fakeBin, via === 'xdg-open' ? 'xdg-open' : 'fake-browser');
    mkdirSync(fakeBin);
    writeFileSync(
      fake,
      `#!/bin/sh\n# A fake browser: records its arguments and opens nothing.\nprintf '%s\\n' "$@" > '${record}.tmp' && mv '${record}.tmp' '${record}'\n`,
    );
    chmodSync(fake, 0o755);
    const env =
      via === 'xdg-open'
        ? { ...process.env, LANYARD_HOME: home, PATH: `${fakeBin}:${process.env.PATH}`, DISPLAY: ':99', WAYLAND_DISPLAY: '', BROWSER: '' }
        : { ...process.env, LANYARD_HOME: home, BROWSER: fake, DISPLAY: '', WAYLAND_DISPLAY: '' };
    const child = spawn(nodeBin, [cliBundle, ...cliArgs], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    await expect.poll(() => existsSync(record), { timeout: 20_000 }).toBe(true);
    const token = /#token=([\w-]+)/.exec(output)?.[1];
    expect(token, output).toBeDefined();
    const stop = async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    };
    return { home, argv: readFileSync(record, 'utf8').trim().split('\n'), token: token!, child, output: () => output, stop };
  }

  const cases = [
    { cliArgs: ['serve', '--port', '0', '--open'], via: 'xdg-open' as const },
    { cliArgs: ['app', '--no-download'], via: 'BROWSER' as const },
  ];
  for (const { cliArgs, via } of cases) {
    it(`lanyard ${cliArgs.join(' ')} (browser found as ${via})`, async () => {
      const run = await openedBy(cliArgs, via);
      try {
        // The browser got one argument, a private file in the data folder; neither it nor Lanyard's own argv holds the token.
        expect(run.argv).toHaveLength(1);
        const launcher = run.argv[0]!;
        expect(launcher).not.toContain(run.token);
        expect(path.dirname(launcher)).toBe(run.home);
        expect(statSync(launcher).mode & 0o777).toBe(0o600);
        expect(readFileSync(`/proc/${run.child.pid}/cmdline`, 'utf8')).not.toContain(run.token);
        // A real browser given that path ends up in the working app, with the token out of the address bar.
        const context = await browser.newContext({ viewport: { width: 1100, height: 700 } });
        const page = await context.newPage();
        await page.goto(pathToFileURL(launcher).href);
        await appConnected(page);
        expect(page.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/(#\/\w*)?$/);
        await screenshot(page, `serve-launcher-${cliArgs[0]}`);
        await context.close();
        await run.stop();
        expect(existsSync(launcher), 'the launcher is removed when the server stops').toBe(false);
      } finally {
        if (run.child.exitCode === null) run.child.kill('SIGKILL');
      }
    });
  }
});
