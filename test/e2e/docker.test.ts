// The Docker and Terminal views in headless Chromium against `lanyard serve` and a real dockerd:
// the "done when" path (exec into a running container from a cheat, in a terminal), the live
// containers panel, the danger confirmation, and terminal tabs. Screenshots land in test/output/.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openHistoryDb } from '../../main/history/store.ts';
import { dockerPeers, runDetached, startTestEngine, testImage, type TestEngine } from '../support/dockerd.ts';
import { findPeer } from '../support/peers.ts';
import { openPage, screenshot, startServe, type Served } from '../support/serve.ts';
import { tempDir } from '../support/temp-dir.ts';

const chromiumPath = findPeer('chromium', 'apt-get install chromium');
const peers = dockerPeers();

describe.skipIf(!chromiumPath || !peers)('Docker and Terminal views in Chromium (real dockerd)', () => {
  const home = tempDir();
  let engine: TestEngine;
  let served: Served;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    engine = await startTestEngine();
    runDetached(engine, 'web', 'while :; do echo tick; sleep 2; done');
    engine.cli(['create', '--pull=never', '--name', 'idle', testImage, 'true']);
    served = await startServe({ ...engine.env, LANYARD_HOME: home, SHELL: '/bin/bash', HOME: home });
    ({ browser, page } = await openPage(chromiumPath!, served, { width: 1280, height: 900 }, problems));
    // Fail at the step that is stuck, not at the test's timeout.
    page.setDefaultTimeout(20_000);
    await page.goto(`${served.url}#/docker`);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    await engine?.stop();
  });

  const terminalText = (scope: string) => page.locator(`${scope} .xterm-rows`).innerText();

  it('shows where the engine is', async () => {
    await page.locator('.engine-ok').waitFor();
    expect(await page.locator('.engine-ok').innerText()).toContain(engine.host);
  });

  it('done when: search "exec", Enter, the running container is offered, Enter, a shell in the container', async () => {
    await page.getByLabel('Search cheats').fill('exec into container');
    await page.locator('.cheat-item.active', { hasText: 'Open a shell in a running container' }).waitFor();
    await page.getByLabel('Search cheats').press('Enter');
    const field = page.locator('[data-placeholder="container"] input');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('[data-placeholder]')?.getAttribute('data-placeholder')))
      .toBe('container');
    await page.locator('[data-placeholder="container"] .suggestions li', { hasText: 'web' }).waitFor();
    expect(await page.locator('[data-placeholder="container"] .suggestions li').allInnerTexts()).toEqual([expect.stringContaining('web')]);
    await screenshot(page, 'docker-cheat-suggestions');
    await field.press('Enter');
    await page.locator('.run-pane .xterm-rows').waitFor();
    await expect.poll(() => terminalText('.run-pane'), { timeout: 15_000 }).toMatch(/[#$]\s*$/m);
    await page.locator('.run-pane .xterm-helper-textarea').focus();
    await page.keyboard.type('echo "inside-$((40+2))"; hostname\n');
    await expect.poll(() => terminalText('.run-pane'), { timeout: 10_000 }).toContain('inside-42');
    await screenshot(page, 'docker-exec-terminal');
    await page.keyboard.type('exit\n');
    await expect.poll(() => page.locator('.run-pane .log-header').innerText(), { timeout: 10_000 }).toContain('exited with 0');
    // The run is written to History as the tab ends; the UI may hear of the exit first.
    const lanyardRuns = () => {
      const db = openHistoryDb(home);
      try {
        return db
          .prepare(
            "SELECT c.text AS command, r.exit AS exit FROM history_runs r JOIN history_commands c ON c.id = r.command_id WHERE r.source = 'lanyard'",
          )
          .all();
      } finally {
        db.close();
      }
    };
    await expect.poll(lanyardRuns, { timeout: 5000 }).toContainEqual({ command: 'docker exec -it web sh', exit: 0 });
  });

  it('previews the quoted command as values are typed, and lets it be edited', async () => {
    await page.getByLabel('Search cheats').fill('run a command in');
    await page.locator('.cheat-item.active', { hasText: 'Run a command in a running container' }).waitFor();
    await page.getByLabel('Search cheats').press('Enter');
    await page.locator('[data-placeholder="command"] input').fill('x; touch pwned');
    await expect.poll(() => page.locator('#command-preview').inputValue()).toBe("docker exec web sh -c 'x; touch pwned'");
  });

  it('adds a cheat of your own in the app, stored under $LANYARD_HOME/cheats, and uses it', async () => {
    await page.getByRole('button', { name: 'New', exact: true }).click();
    const editor = page.getByRole('form', { name: 'New cheat' });
    await editor.getByLabel('Title').fill('Tail my web logs');
    await editor.getByLabel(/^Command, with/).fill('docker logs --tail 2 <container>');
    await editor.getByLabel('Kind of container').selectOption('container:any');
    await editor.getByRole('button', { name: 'Save to my cheats' }).click();
    await page.getByRole('form', { name: 'Tail my web logs' }).waitFor();
    await page.locator('[data-placeholder="container"] input').fill('web');
    await expect.poll(() => page.locator('#command-preview').inputValue()).toBe('docker logs --tail 2 web');
    expect(existsSync(path.join(home, 'cheats', 'tail-my-web-logs.json'))).toBe(true);
    await screenshot(page, 'docker-own-cheat');
  });

  it('asks before a dangerous cheat, showing the exact command', async () => {
    await page.getByLabel('Search cheats').fill('remove a container');
    await page.locator('.cheat-item.active', { hasText: 'Remove a container' }).waitFor();
    await page.getByLabel('Search cheats').press('Enter');
    await page.locator('[data-placeholder="container"] input').fill('idle');
    await page.getByRole('button', { name: /Run in terminal/ }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    expect(await dialog.locator('pre').innerText()).toBe('docker rm idle');
    await screenshot(page, 'docker-danger-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(engine.cli(['ps', '-a', '--format', '{{.Names}}'])).toContain('idle');
  });

  it('lists containers live from /events, streams logs, and shows each action’s command', async () => {
    await page.getByRole('tab', { name: 'Containers' }).click();
    await page.locator('tr[data-container="web"]').waitFor();
    expect(await page.locator('tr[data-container]').count()).toBe(1);
    engine.cli(['run', '--pull=never', '-d', '--name', 'late', testImage, 'sleep', '300']);
    await page.locator('tr[data-container="late"]').waitFor({ timeout: 10_000 });
    engine.cli(['kill', 'late']);
    await page
      .locator('tr[data-container="late"]')
      .waitFor({ state: 'detached', timeout: 10_000 })
      .catch(async (error: unknown) => {
        await screenshot(page, 'docker-containers-failed');
        throw error;
      });
    await page.locator('tr[data-container="web"]').getByRole('button', { name: 'Restart' }).hover();
    await expect.poll(() => page.locator('.command-line').innerText()).toBe('$ docker restart web');
    await page.locator('tr[data-container="web"]').getByRole('button', { name: 'Logs' }).click();
    await expect.poll(() => page.locator('.log-text').innerText(), { timeout: 10_000 }).toContain('tick');
    await page.getByRole('radio', { name: 'All' }).click();
    await page.locator('tr[data-container="idle"]').waitFor();
    await page.locator('tr[data-container="idle"]').getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Remove' }).click();
    await page.locator('tr[data-container="idle"]').waitFor({ state: 'detached', timeout: 10_000 });
    await screenshot(page, 'docker-containers');
  });

  it('opens terminal tabs in the Terminal view, with the login shell, and survives a flood', { timeout: 120_000 }, async () => {
    await page.locator('nav .nav-item', { hasText: 'Terminal' }).click();
    await page.locator('.terminal-view .xterm-rows').waitFor();
    await expect.poll(() => page.locator('.terminal-tab').count()).toBeGreaterThanOrEqual(2);
    await expect.poll(() => terminalText('.terminal-view'), { timeout: 10_000 }).toMatch(/[#$]\s*$/m);
    await page.locator('.terminal-view .xterm-helper-textarea').focus();
    await page.keyboard.type('echo "term=$TERM"\n');
    await expect.poll(() => terminalText('.terminal-view')).toContain('term=xterm-256color');
    await screenshot(page, 'terminal-view');
    // A flood through the WebSocket: the tab acks what xterm has parsed, the host pauses the PTY meanwhile.
    await page.keyboard.type("head -c 8000000 /dev/zero | tr '\\0' x | fold -w 100; echo flood-$((6*7))\n");
    await expect.poll(() => terminalText('.terminal-view'), { timeout: 90_000, interval: 500 }).toContain('flood-42');
    expect(problems).toEqual([]);
  });
});
