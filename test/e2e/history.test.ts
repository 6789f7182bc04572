// The History view in headless Chromium against the real `lanyard serve`: search focused on open and updating
// as you type, the detail pane with session neighbours, a live run arriving from a shell hook's spool, stats
// and settings (hooks, what happens to a secret, re-scanning stored history). Screenshots in test/output/.
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { historyPaths } from '../../main/history/paths.ts';
import { readSettings } from '../../main/history/settings.ts';
import { openHistoryDb, runWriter, type RunRecord } from '../../main/history/store.ts';
import { randomRuns } from '../unit/history/random-history.ts';
import { findPeer } from '../support/peers.ts';
import { openPage, screenshot, startServe, type Served } from '../support/serve.ts';
import { tempDir } from '../support/temp-dir.ts';

const chromiumPath = findPeer('chromium', 'apt-get install chromium');

describe.skipIf(!chromiumPath)('the History view in Chromium', () => {
  const root = tempDir();
  const data = path.join(root, 'data');
  const home = path.join(root, 'home');
  let served: Served;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(home, { recursive: true });
    const db = openHistoryDb(data);
    const now = Date.now();
    const session = (command: string, i: number, exit = 0): RunRecord => ({
      command,
      startedAt: now - 3_600_000 + i * 60_000,
      durationMs: 1200,
      exit,
      cwd: '/home/dev/src/app',
      session: 'work-1',
      host: 'devbox',
      user: 'dev',
      shell: 'bash',
      source: 'test',
      dedupe: `e2e${i}`,
    });
    // 20,000 older runs spread over the past year, then a recent session with a failing build.
    const old = randomRuns(20_000, 3000, 5).map((r, i) => ({
      ...r,
      startedAt: now - 365 * 86_400_000 + Math.floor((i / 20_000) * 360 * 86_400_000),
    }));
    runWriter(db).write(old);
    runWriter(db).write([
      session('cd ~/src/app', 1),
      session('npm run build', 2, 1),
      session('vim src/main.ts', 3),
      session('npm run build', 4),
      session('git commit -am "fix the build"', 5),
    ]);
    // Stored before the filter knew this form: the re-scan in settings redacts it.
    runWriter(db).write([session('mysql -pHunter2pw app', 6)]);
    db.close();
    served = await startServe({ LANYARD_HOME: data, HOME: home });
    ({ browser, page } = await openPage(chromiumPath!, served, { width: 1360, height: 900 }, problems));
    await page.goto(`${served.url.replace(/#.*$/, '')}#/history`);
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('opens with the search field focused and narrows as you type', async () => {
    await page.waitForSelector('.history-row');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Search history');
    await page.keyboard.type('npm run bu');
    await page.waitForFunction(() => document.querySelectorAll('.history-row').length === 1);
    expect(await page.locator('.history-row .history-command').first().textContent()).toBe('npm run build');
    expect(await page.locator('.history-row .history-runs').first().textContent()).toBe('2×');
    await page.waitForSelector('[data-field="command"]');
    expect(await page.locator('[data-field="cwd"]').textContent()).toBe('/home/dev/src/app');
    // The last run succeeded; its neighbours in the session are listed around it.
    expect(await page.locator('[data-field="exit"] .badge-ok').count()).toBe(1);
    const neighbours = await page.locator('.history-neighbours li').allTextContents();
    expect(neighbours.join('|')).toContain('vim src/main.ts');
    expect(neighbours.join('|')).toContain('git commit -am "fix the build"');
    await screenshot(page, 'history-search');
  });

  it('filters to failed runs, one row per run', async () => {
    await page.selectOption('select[aria-label="Show"]', 'run');
    await page.selectOption('select[aria-label="Exit status"]', 'failed');
    await page.waitForFunction(
      () => document.querySelectorAll('.history-row').length === 1 && document.querySelector('.history-row .badge-error') !== null,
    );
    await page.selectOption('select[aria-label="Exit status"]', 'any');
    await page.selectOption('select[aria-label="Show"]', 'command');
  });

  it('shows a command a shell hook just recorded, without a reload', async () => {
    const paths = historyPaths(data);
    mkdirSync(paths.spool, { recursive: true });
    const t = (Date.now() / 1000).toFixed(6);
    const record = ['L3', 'live-1', 'zsh', 'devbox', 'dev', t, t, '0', '/tmp', 'npm run build:live', '\\'].map((f) => `${f}\0`).join('');
    appendFileSync(path.join(paths.spool, 'live-1.spool'), record);
    await page.waitForFunction(
      () => [...document.querySelectorAll('.history-row .history-command')].some((e) => e.textContent === 'npm run build:live'),
      undefined,
      { timeout: 10_000 },
    );
  });

  it('runs a command from the detail pane in a terminal tab, where it ran before', async () => {
    const paths = historyPaths(data);
    const t = (Date.now() / 1000).toFixed(6);
    const record = ['L3', 'live-2', 'bash', 'devbox', 'dev', t, t, '0', home, 'echo "rerun-$((6*7)) in $PWD"', '\\']
      .map((f) => `${f}\0`)
      .join('');
    appendFileSync(path.join(paths.spool, 'live-2.spool'), record);
    await page.locator('input[aria-label="Search history"]').fill('rerun-');
    await page.waitForFunction(() => document.querySelectorAll('.history-row').length === 1);
    await page.locator('.history-row').first().click();
    await page.getByRole('button', { name: 'Run in terminal' }).click();
    await expect.poll(() => page.url()).toMatch(/#\/terminal$/);
    await expect.poll(() => page.locator('.terminal-view .xterm-rows').innerText(), { timeout: 20_000 }).toContain(`rerun-42 in ${home}`);
    await page.goto(`${page.url().replace(/#.*$/, '')}#/history`);
    await page.locator('input[aria-label="Search history"]').waitFor();
    await page.locator('input[aria-label="Search history"]').fill('');
  });

  it('shows stats with a calendar heatmap, and the hooks per shell', async () => {
    await page.getByRole('tab', { name: 'Stats' }).click();
    await page.waitForSelector('.history-heatmap rect');
    expect(await page.locator('.history-heatmap rect').count()).toBeGreaterThan(360);
    expect(await page.locator('.history-heatmap rect.heat-0').count()).toBeLessThan(200);
    await screenshot(page, 'history-stats');
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.waitForSelector('.history-hooks tr[data-shell="bash"]');
    expect(await page.locator('.history-hooks tr[data-shell="bash"] .badge').textContent()).toBe('not installed');
    await page.locator('.history-hooks tr[data-shell="bash"] button').click();
    await page.waitForFunction(() => document.querySelector('.history-hooks tr[data-shell="bash"] .badge')?.textContent === 'installed');
    await screenshot(page, 'history-settings');
    expect(problems).toEqual([]);
  });
  it('redacts secrets by default, re-scans stored history with progress, and switches to dropping', async () => {
    const redact = page.getByRole('radio', { name: /kept, with the secret replaced/ });
    expect(await redact.isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Re-scan existing history' }).click();
    await page.waitForSelector('.history-rescan [role="status"]');
    expect(await page.locator('.history-rescan [role="status"]').textContent()).toMatch(
      /^Scanned \d+ commands: redacted 1 holding a secret \(1 run\)\.$/,
    );
    await screenshot(page, 'history-settings-secrets');
    await page.getByRole('radio', { name: 'not recorded at all' }).click();
    await page.waitForFunction(() => document.querySelector('.history-rescan .muted')?.textContent?.startsWith('Deletes'));
    expect(readSettings(historyPaths(data)).secretAction).toBe('drop');
    await page.getByRole('tab', { name: 'Search' }).click();
    const field = page.getByLabel('Search history');
    await field.fill('Hunter2');
    await page.waitForSelector('.history-row', { state: 'detached' });
    await field.fill('mysql -p');
    await page.waitForFunction(() => document.querySelector('.history-row .history-command')?.textContent === 'mysql -p‹redacted› app');
    expect(problems).toEqual([]);
  });
});
