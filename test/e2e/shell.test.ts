// The real renderer in headless Chromium against the real `lanyard serve`: navigation, palette, Doctor's real
// values, the error surface, light and dark. Screenshots land in test/output/.
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { views } from '../../main/contract/tools.ts';
import { findPeer } from '../support/peers.ts';
import { openPage, screenshot, startServe, type Served } from '../support/serve.ts';
import { tempDir } from '../support/temp-dir.ts';

const chromiumPath = findPeer('chromium', 'apt-get install chromium');
const tsharkPath = findPeer('tshark', 'apt-get install tshark');

describe.skipIf(!chromiumPath || !tsharkPath)('the app shell in Chromium', () => {
  const home = tempDir();
  let served: Served;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    served = await startServe({ LANYARD_HOME: home });
    ({ browser, page } = await openPage(chromiumPath!, served, { width: 1280, height: 860 }, problems));
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  const doctorDone = () =>
    page.waitForFunction(
      () => document.querySelector('.summary')?.textContent?.includes('OK ·') && !document.querySelector('[data-status="pending"]'),
      undefined,
      { timeout: 20_000 },
    );

  it('drops the token from the address bar after the first load', () => {
    expect(page.url()).not.toContain('token=');
  });

  it('lists the registered views in order, and opens the first', async () => {
    const nav = await page.locator('nav[aria-label="Views"] .nav-label').allTextContents();
    expect(nav).toEqual(views.map((v) => v.label));
    await expect.poll(() => page.locator('h1').first().textContent()).toBe(views[0]!.label); // the view's code loads on first open
  });

  it('shows the real versions and data folder', async () => {
    await page.goto(`${page.url().replace(/#.*$/, '')}#/doctor`);
    await doctorDone();
    const sqlite = new Database(':memory:').prepare('select sqlite_version()').pluck().get() as string;
    expect(await page.locator('[data-field="node"]').textContent()).toBe(process.versions.node);
    expect(await page.locator('[data-field="sqlite"]').textContent()).toBe(sqlite);
    expect(await page.locator('[data-field="data-dir"]').textContent()).toBe(home);
    const tsharkVersion = /\(Wireshark\) (\d+\.\d+\.\d+)/.exec(spawnSync(tsharkPath!, ['--version'], { encoding: 'utf8' }).stdout)![1];
    const row = page.locator('tr[data-tool="tshark"]');
    expect(await row.getAttribute('data-status')).toBe('ok');
    expect(await row.locator('.col-version').textContent()).toBe(tsharkVersion);
    expect(await page.locator('.sidebar-footer').textContent()).toContain('Browser (lanyard serve)');
    await screenshot(page, 'shell-doctor-light');
  });

  it('shows an install hint per platform for a missing tool', async () => {
    const missing = page.locator('tr[data-status="missing"]').first();
    if ((await missing.count()) === 0) return; // every tool installed: nothing to hint
    await missing.getByRole('tab', { name: 'Fedora' }).click();
    expect(await missing.locator('.hint-command code').textContent()).toMatch(/dnf install/);
  });

  it('is keyboard-driven: Ctrl+K opens the palette, typing filters, Enter runs', async () => {
    await page.locator('body').click();
    await page.keyboard.press('Control+K');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    await palette.waitFor();
    await page.keyboard.type('run again');
    expect(await palette.getByRole('option').allTextContents()).toEqual([expect.stringContaining('Run the checks again')]);
    await screenshot(page, 'shell-palette');
    await page.keyboard.press('Enter');
    await palette.waitFor({ state: 'detached' });
    await page
      .waitForFunction(() => document.querySelector('.summary')?.textContent?.startsWith('Checking'), undefined, { timeout: 5000 })
      .catch(() => undefined);
    await doctorDone();
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Escape');
    await palette.waitFor({ state: 'detached' });
    for (const [index, view] of views.entries()) {
      await page.keyboard.press(`Control+${index + 1}`);
      // The keypress is handled in the page after press() resolves: wait for the route, do not read it at once.
      await expect.poll(() => page.url()).toMatch(new RegExp(`#/${view.id}$`));
    }
    await page.keyboard.press(`Control+${views.findIndex((v) => v.id === 'doctor') + 1}`);
  });

  it('renders dark when the OS is dark', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(21, 25, 23)');
    await screenshot(page, 'shell-doctor-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('had no page errors and no CSP violations', () => {
    expect(problems).toEqual([]);
  });

  it('says in words when the services go away', async () => {
    await served.stop();
    await page.getByRole('button', { name: 'Run again' }).click();
    await page.getByRole('button', { name: 'Run again' }).click();
    const alert = page.getByRole('alert').filter({ hasText: /^Doctor/ });
    await alert.waitFor({ timeout: 10_000 });
    // A retry that fails the same way does not stack a second notice.
    expect(await alert.count()).toBe(1);
    expect(await alert.textContent()).toMatch(/services are not reachable.*connection to the Lanyard service host was closed/i);
    await screenshot(page, 'shell-error');
  });
});
