// The Terminal view in Chromium when the pty host dies under it: the open tab says so and ends, and a new tab
// works (a new pty host). Against the real `lanyard serve`, its pty host killed with SIGKILL.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPeer } from '../support/peers.ts';
import { openTerminalView, screenshot, type Served } from '../support/serve.ts';
import { childRunning } from '../support/proc-stat.ts';
import { tempDir } from '../support/temp-dir.ts';

const chromiumPath = findPeer('chromium', 'apt-get install chromium');

describe.skipIf(!chromiumPath)('the Terminal view when its pty host dies (Chromium)', () => {
  const home = tempDir();
  let served: Served;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const activeText = () => page.locator('.terminal-view .xterm-rows').last().innerText();

  beforeAll(async () => {
    ({ served, browser, page } = await openTerminalView(chromiumPath!, home, problems));
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('ends the open tab with a message, and a new tab runs under a new pty host', async () => {
    const first = childRunning(served.child.pid!, 'pty-host.js');
    expect(first).not.toBeNull();
    process.kill(first!, 'SIGKILL');
    await expect.poll(activeText, { timeout: 20_000 }).toContain('terminal process ended unexpectedly; open a new terminal');
    await expect.poll(() => page.locator('.terminal-tab[data-exited="true"]').count()).toBe(1);
    expect(await page.locator('.terminal-tab[data-exited="true"]').innerText()).toContain('exit signal 1');
    await screenshot(page, 'terminal-pty-host-died');

    await page.locator('.terminal-new').click();
    await expect.poll(() => page.locator('.terminal-tab').count()).toBe(2);
    await expect.poll(activeText).toMatch(/[#$]\s*$/m);
    await page.keyboard.type('echo "after=$((40 + 2))"');
    await page.keyboard.press('Enter');
    await expect.poll(activeText).toMatch(/^after=42\s*$/m);
    const second = childRunning(served.child.pid!, 'pty-host.js');
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
    await screenshot(page, 'terminal-pty-host-new-tab');
    expect(problems).toEqual([]);
  });
});
