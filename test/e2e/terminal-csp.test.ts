// The terminal's styles under the renderer's CSP (issue 11 row 17): xterm's own <style> elements still apply (theme,
// cell metrics), and a <style> created anywhere else in the page does not — it used to become an adopted sheet.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPeer } from '../support/peers.ts';
import { openTerminalView, screenshot, type Served } from '../support/serve.ts';
import { tempDir } from '../support/temp-dir.ts';

const chromiumPath = findPeer('chromium', 'apt-get install chromium');

describe.skipIf(!chromiumPath)('terminal styles and the CSP in Chromium', () => {
  const home = tempDir();
  let served: Served;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    ({ served, browser, page } = await openTerminalView(chromiumPath!, home, problems));
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  /** What xterm's style elements set: the theme's foreground on the rows, and the cell metrics on each span. */
  const xtermStyles = () =>
    page.evaluate(() => {
      const rows = document.querySelector('.terminal-view .xterm-rows')!;
      const span = rows.querySelector('span');
      return {
        color: getComputedStyle(rows).color,
        spanDisplay: span ? getComputedStyle(span).display : null,
        body: getComputedStyle(document.body).backgroundColor,
      };
    });

  it('renders the terminal with its theme and cell metrics', async () => {
    expect(await xtermStyles()).toMatchObject({ color: 'rgb(29, 36, 32)', spanDisplay: 'inline-block' });
    await screenshot(page, 'terminal-csp-styles');
    expect(problems).toEqual([]);
  });

  it('applies no <style> created outside the terminal, in the head or in the body', async () => {
    const before = await xtermStyles();
    await page.evaluate(() => {
      const rules = 'body { background-color: rgb(255, 0, 0) !important; } .xterm-rows { color: rgb(255, 0, 0) !important; }';
      for (const parent of [document.head, document.body]) {
        const style = document.createElement('style');
        parent.append(style);
        style.textContent = rules;
      }
    });
    // Let the mutation observers run and the page restyle.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(await xtermStyles()).toEqual(before);
    expect(before.body).not.toBe('rgb(255, 0, 0)');
  });

  it('still applies a theme written after the terminal opened', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.locator('.terminal-new').click();
    await expect.poll(() => page.locator('.terminal-tab').count()).toBeGreaterThanOrEqual(2);
    await expect.poll(async () => (await xtermStyles()).color).toBe('rgb(223, 230, 225)');
    await screenshot(page, 'terminal-csp-styles-dark');
  });
});
