// Doctor in headless Chromium against the real `lanyard serve`, HOME in a temp folder: the report's headings come
// from the tools, and "Install 'lanyard' command in PATH" does what `lanyard install-command` does, writing only
// inside that HOME. Also: the footer of `lanyard app`'s window says it is the app window.
import { lstatSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/paths.ts';
import { findPeer } from '../support/peers.ts';
import { openPage, screenshot, startServe, type Served } from '../support/serve.ts';
import { tempDir } from '../support/temp-dir.ts';

const chromiumPath = findPeer('chromium', 'apt-get install chromium');

describe.skipIf(!chromiumPath)('Doctor in Chromium', () => {
  const home = tempDir();
  const bin = path.join(home, '.local', 'bin');
  let served: Served;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    served = await startServe({ HOME: home, LANYARD_HOME: path.join(home, 'lanyard'), PATH: `${bin}${path.delimiter}${process.env.PATH}` });
    ({ browser, page } = await openPage(chromiumPath!, served, { width: 1280, height: 1000 }, problems));
    await page.goto(`${page.url().replace(/#.*$/, '')}#/doctor`);
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('shows one heading per tool with checks, titled by the tool', async () => {
    await page.waitForFunction(
      () => !document.querySelector('[data-status="pending"]') && document.querySelectorAll('.card h2').length > 3,
      undefined,
      {
        timeout: 30_000,
      },
    );
    // Polled, not read once: the view may mount again as the router settles on #/doctor, starting a fresh run.
    const wanted = ['Certificates', 'Shells (history)', 'Docker', 'Captures', 'The lanyard command'];
    await expect.poll(() => page.locator('.card h2').allTextContents(), { timeout: 30_000 }).toEqual(expect.arrayContaining(wanted));
    const headings = await page.locator('.card h2').allTextContents();
    expect(headings.indexOf('Certificates')).toBeLessThan(headings.indexOf('Captures')); // the tool list's order
  });

  it('installs the lanyard command from its button, into HOME only, and says what it did', async () => {
    const link = path.join(bin, 'lanyard');
    const launcher = path.join(repoRoot, 'main', 'cli', 'bin.js');
    await expect.poll(() => page.locator('[data-command-state]').getAttribute('data-command-state'), { timeout: 10_000 }).toBe('none');
    expect(await page.locator('[data-card="command"]').textContent()).toContain(`${link} is not installed`);
    await page.getByRole('button', { name: "Install 'lanyard' command in PATH" }).click();
    await expect
      .poll(() => page.locator('[data-command-said]').textContent(), { timeout: 10_000 })
      .toContain(`Linked ${link} → ${launcher}`);
    expect(await page.locator('[data-command-said]').textContent()).toContain('Run `lanyard` from any folder');
    expect(await page.locator('[data-command-state]').getAttribute('data-command-state')).toBe('this');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(launcher);
    expect(await page.getByRole('button', { name: "Install 'lanyard' command in PATH" }).count()).toBe(0);
    await screenshot(page, 'doctor-install-command');
    expect(problems).toEqual([]);
  });

  it("says 'App window' in the footer of lanyard app's window (?window=app), and 'Browser' in a serve tab", async () => {
    expect(await page.locator('[data-opened-as]').textContent()).toBe('Browser (lanyard serve)');
    // The token stays in this tab's sessionStorage, so the app window's URL loads without it.
    await page.goto(`${page.url().replace(/[?#].*$/, '')}?window=app#/doctor`);
    await expect.poll(() => page.locator('[data-opened-as]').textContent(), { timeout: 10_000 }).toBe('App window (lanyard app)');
  });
});
