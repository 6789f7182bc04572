// Issue 16 in headless Chromium against `lanyard serve` and a real dockerd: "Debug shell" on a container
// whose image has no shell opens a prompt in a terminal tab with the target's files under /target; the
// containers panel groups a Compose v1 project (folder, files, profiles) and its Logs action streams both
// services. Screenshots land in test/output/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../main/docker/engine.ts';
import { dockerPeers, startTestEngine, testImage, type TestEngine } from '../support/dockerd.ts';
import { findPeer } from '../support/peers.ts';
import { openPage, screenshot, startServe, type Served } from '../support/serve.ts';
import { importShellless, shellless } from '../support/shellless-image.ts';
import { tempDir } from '../support/temp-dir.ts';

const chromiumPath = findPeer('chromium', 'apt-get install chromium');
const compose = findPeer('docker-compose', 'apt-get install docker-compose');
const peers = dockerPeers();

const ticker = (word: string) => `sh -c 'trap "exit 0" TERM; while :; do echo ${word}-tick; sleep 1; done'`;

describe.skipIf(!chromiumPath || !peers || !compose)('Debug shell and Compose groups in Chromium (real dockerd)', () => {
  const home = tempDir();
  const folder = path.join(home, 'shop');
  let engine: TestEngine;
  let served: Served;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    engine = await startTestEngine();
    importShellless(engine, peers!.busybox, home);
    engine.cli(['run', '--pull=never', '-d', '--name', 'distroless', shellless]);
    mkdirSync(folder);
    writeFileSync(
      path.join(folder, 'docker-compose.yml'),
      `services:\n  web:\n    image: ${testImage}\n    command: ${ticker('web')}\n    network_mode: none\n  worker:\n    image: ${testImage}\n    command: ${ticker('worker')}\n    network_mode: none\n  inspector:\n    image: ${testImage}\n    network_mode: none\n    profiles: [debug]\n`,
    );
    execFileSync(compose!, ['up', '-d'], { cwd: folder, env: engine.env, stdio: 'pipe', timeout: 60_000 });
    served = await startServe({ ...engine.env, LANYARD_HOME: home, SHELL: '/bin/sh', HOME: home });
    ({ browser, page } = await openPage(chromiumPath!, served, { width: 1400, height: 900 }, problems));
    page.setDefaultTimeout(20_000);
    await page.goto(`${served.url}#/docker`);
    await page
      .getByRole('tab', { name: 'Containers' })
      .click()
      .catch(async (error: unknown) => {
        await screenshot(page, 'docker-everywhere-failed');
        throw new Error(`${String(error)}\n${problems.join('\n')}`);
      });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    await engine?.stop();
  });

  const runPane = () => page.locator('.run-pane .xterm-rows').innerText();

  it('groups the Compose project with its folder, files and profiles', async () => {
    const group = page.locator('[data-project="shop"]');
    await group.waitFor();
    await expect.poll(() => group.innerText()).toContain('profiles: debug');
    const text = await group.innerText();
    expect(text).toContain(folder);
    expect(text).toContain('docker-compose.yml');
    expect(text).toContain('2/2 running');
    // The project's containers follow its row, named by service.
    const names = await page.locator('tr[data-container]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-container')));
    expect(names).toEqual(['shop_web_1', 'shop_worker_1', 'distroless']);
    await group.getByRole('button', { name: 'Logs' }).hover();
    await expect
      .poll(() => page.locator('.command-line').innerText())
      .toMatch(/^\$ docker-compose -p shop -f \S+docker-compose\.yml .* logs -f$/);
  });

  it('"Debug shell" on a shell-less container: the command shown, then a prompt in a terminal tab', async () => {
    const row = page.locator('tr[data-container="distroless"]');
    await row.getByRole('button', { name: 'Debug shell' }).hover();
    await expect.poll(() => page.locator('.command-line').innerText()).toMatch(/^\$ docker run --rm -it --pull never .*--pid container:/);
    const shown = (await page.locator('.command-line').innerText()).replace(/^\$ /, '');
    await row.getByRole('button', { name: 'Debug shell' }).click();
    await page.locator('.run-pane .xterm-rows').waitFor();
    // What runs is exactly what was shown.
    expect(await page.locator('.run-pane .log-header code').innerText()).toBe(shown);
    await expect.poll(runPane, { timeout: 15_000 }).toMatch(/\[debug distroless\] \/ #/);
    await page.locator('.run-pane .xterm-helper-textarea').focus();
    await page.keyboard.type('ls -1 /target/; ps -o pid,args | grep -c "/sleep 3600"\n');
    await expect.poll(runPane, { timeout: 10_000 }).toMatch(/^sleep\s*$/m);
    await screenshot(page, 'docker-debug-shell');
    await page.keyboard.type('exit\n');
    await expect.poll(() => page.locator('.run-pane .log-header').innerText(), { timeout: 10_000 }).toContain('exited with 0');
    expect(engine.cli(['ps', '-aq', '--filter', 'label=dev.lanyard.debug'])).toBe('');
  });

  it("the project's Logs action streams both services in a terminal tab", async () => {
    await page.locator('[data-project="shop"]').getByRole('button', { name: 'Logs' }).click();
    await expect.poll(runPane, { timeout: 15_000 }).toMatch(/worker.*worker-tick/);
    await expect.poll(runPane, { timeout: 15_000 }).toMatch(/web.*web-tick/);
    await screenshot(page, 'docker-compose-groups');
  });

  it('500 containers made while the panel is open: applied from events, only the rows in view in the page', {
    timeout: 180_000,
  }, async () => {
    await page.locator('.run-pane').getByRole('button', { name: 'Hide terminal' }).click();
    await page.getByRole('radio', { name: 'All' }).click();
    await page.locator('tr[data-container="distroless"]').waitFor();
    const client = connectEngine({ id: 'DOCKER_HOST', host: engine.host, source: 'DOCKER_HOST', context: null, tls: null });
    for (let i = 0; i < 500; i += 25)
      await Promise.all(
        Array.from({ length: 25 }, (_, j) =>
          client.json(
            'POST',
            '/containers/create',
            { name: `many-${String(i + j).padStart(3, '0')}` },
            { Image: testImage, Cmd: ['true'] },
          ),
        ),
      );
    // The last one made reaches the list through its event; scrolled to the end, it is there.
    await expect
      .poll(
        async () => {
          await page.locator('.container-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
          return page.locator('tr[data-container="many-499"]').count();
        },
        { timeout: 60_000 },
      )
      .toBe(1);
    expect(await page.locator('tr[data-container]').count()).toBeLessThan(80);
    await screenshot(page, 'docker-containers-500');
    expect(problems).toEqual([]);
  });
});
