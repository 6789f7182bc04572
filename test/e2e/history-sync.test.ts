// History › Settings › Sync in headless Chromium against the real `lanyard serve`: this machine joins a sync
// another machine (a LANYARD_HOME of the test's) set up in a folder, by typing its key words; the panel lists both
// machines, shows the key as words and a QR code; the other machine's runs appear in search with a host badge
// that filters to that machine; a run the other machine syncs later appears without a reload. The QR code is
// judged by a real reader: the Sync card's QR, as Chromium draws it, read by zbarimg (Debian zbar-tools), and
// the text it reads joins a third machine with `lanyard history sync join`. Screenshots in test/output/.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHistoryDb, runWriter } from '../../main/history/store.ts';
import { cliBundle, nodeBin, testOutput } from '../support/paths.ts';
import { findPeer } from '../support/peers.ts';
import { openPage, type Served, screenshot, startServe } from '../support/serve.ts';
import { tempDir } from '../support/temp-dir.ts';
import { setUp, testHost } from '../integration/history/sync/hosts.ts';

const chromiumPath = findPeer('chromium', 'apt-get install chromium');
const zbarimg = findPeer('zbarimg', 'zbar-tools');

describe.skipIf(!chromiumPath)('History sync in Chromium', () => {
  const root = tempDir();
  const data = path.join(root, 'data');
  const home = path.join(root, 'home');
  const folder = path.join(root, 'Sync');
  let served: Served;
  let browser: Browser;
  let page: Page;
  let words = '';
  const other = testHost(root, 'desktop');
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(home, { recursive: true });
    const db = openHistoryDb(data);
    const now = Date.now();
    runWriter(db).write(
      ['ls -la', 'git status', 'make'].map((command, i) => ({
        command,
        startedAt: now - 600_000 + i * 1000,
        durationMs: 10,
        exit: 0,
        cwd: '/home/dev',
        session: 'here',
        host: 'laptop',
        user: 'dev',
        shell: 'bash',
        source: 'test',
        dedupe: `e2e-${i}`,
      })),
    );
    db.close();
    other.run('terraform plan -out=desktop.plan', now - 300_000);
    words = await setUp(other, { kind: 'folder', dir: folder });
    served = await startServe({ LANYARD_HOME: data, HOME: home });
    ({ browser, page } = await openPage(chromiumPath!, served, { width: 1360, height: 1000 }, problems));
    await page.goto(`${served.url.replace(/#.*$/, '')}#/history`);
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('joins with the key words, lists both machines and shows the key as words and a QR code', async () => {
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.locator('.history-sync').waitFor();
    await page.getByLabel('Folder').fill(folder);
    await page.getByLabel("This machine's name").fill('laptop');
    await page.getByLabel('Key words').fill(words);
    await page.getByRole('button', { name: 'Join' }).click();
    await page.waitForSelector('.history-sync-hosts tr[data-host="desktop"]');
    expect(await page.locator('.history-sync-hosts tr[data-host="laptop"]').textContent()).toContain('this machine');
    await page.getByRole('button', { name: 'Show the key' }).click();
    await page.waitForSelector('.history-sync-words li');
    const shown = await page.locator('.history-sync-words li').allTextContents();
    expect(shown.map((w) => w.replace(/^\d+/, '')).join(' ')).toBe(words);
    expect(await page.locator('svg.history-sync-qr path').getAttribute('d')).toMatch(/^M\d+,\d+h1v1h-1z/);
    await page.locator('.history-sync').scrollIntoViewIfNeeded();
    await page.locator('svg.history-sync-qr').scrollIntoViewIfNeeded();
    await screenshot(page, 'history-sync-settings');
  });

  it.skipIf(!zbarimg)('shows a QR code that zbarimg reads as the key words, which join another machine', async () => {
    // The QR exactly as the card draws it (200 CSS px, its quiet zone inside the SVG), nothing else in the picture.
    const png = path.join(testOutput, 'history-sync-qr.png');
    await page.locator('svg.history-sync-qr').screenshot({ path: png });
    const read = spawnSync(zbarimg!, ['--quiet', '--raw', '-Sdisable', '-Sqrcode.enable', png], { encoding: 'utf8' });
    // (zbarimg also says on stderr that it found no D-Bus here; that is not about the image.)
    expect(read.status, read.stderr).toBe(0);
    const decoded = read.stdout.replace(/\n$/, '');
    expect(decoded).toBe(words);
    // What the reader gave is what a joining machine types.
    const third = path.join(root, 'third');
    const join = spawnSync(nodeBin, [cliBundle, 'history', 'sync', 'join', '--folder', folder, '--words', decoded, '--name', 'third'], {
      encoding: 'utf8',
      env: { ...process.env, LANYARD_HOME: third, HOME: home },
      timeout: 60_000,
    });
    expect(join.status, join.stderr).toBe(0);
    expect(join.stdout).toContain('This machine now syncs its history with the others.');
    expect(join.stdout).toMatch(/applied [1-9]\d* segment\(s\): [1-9]\d* new run\(s\)/);
    // A command in a home that syncs through a folder holding segments ends (the folder watch does not hold it).
    const status = spawnSync(nodeBin, [cliBundle, 'history', 'sync', 'status'], {
      encoding: 'utf8',
      env: { ...process.env, LANYARD_HOME: third, HOME: home },
      timeout: 30_000,
    });
    expect(status.status, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/third +this machine/);
  });

  it("shows the other machine's runs with a host badge that filters to that machine, and new ones as they arrive", async () => {
    await page.getByRole('tab', { name: 'Search' }).click();
    const row = page.locator('.history-row', { hasText: 'terraform plan' });
    await row.waitFor();
    await row.locator('.history-host').click();
    expect(await page.getByLabel('Host').inputValue()).toBe('desktop');
    await page.waitForFunction(() => document.querySelectorAll('.history-row').length === 1);
    await screenshot(page, 'history-sync-host-filter');
    // The other machine runs a command and syncs: this one's host sees the folder change and applies it.
    other.run('kubectl apply -f desktop.yaml');
    await other.sync();
    await page.waitForFunction(
      () => [...document.querySelectorAll('.history-row .history-command')].some((e) => e.textContent === 'kubectl apply -f desktop.yaml'),
      undefined,
      { timeout: 20_000 },
    );
    expect(problems).toEqual([]);
  });
});
