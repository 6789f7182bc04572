// Switching engines in the Docker view (issue 16, "done when"): headless Chromium against `lanyard serve`, with a
// real dockerd reached two ways (a local context, and an ssh:// context through Debian's sshd on loopback) and a
// real Podman engine on a private socket. The engine in use is always in the header; the pick survives a reload;
// Podman's pods show as groups in the containers panel. Screenshots land in test/output/.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerPeers, startTestEngine, testImage, type TestEngine } from '../support/dockerd.ts';
import { findPeer } from '../support/peers.ts';
import { podmanPeer, startTestPodman, type TestPodman } from '../support/podman.ts';
import { openPage, screenshot, startServe, type Served } from '../support/serve.ts';
import { sshPeers, startSshd, type TestSshd } from '../support/sshd.ts';
import { tempDir } from '../support/temp-dir.ts';

const chromiumPath = findPeer('chromium', 'apt-get install chromium');
const peers = dockerPeers() && sshPeers() && podmanPeer();

/** A docker CLI context, written as `docker context create` writes it. */
function writeContext(config: string, name: string, host: string): void {
  const dir = path.join(config, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'meta.json'),
    JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }),
  );
}

describe.skipIf(!chromiumPath || !peers)('switching engines in the Docker view (local, ssh://, Podman)', () => {
  const home = tempDir();
  const config = tempDir();
  let engine: TestEngine;
  let sshd: TestSshd;
  let podman: TestPodman;
  let served: Served;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    engine = await startTestEngine();
    sshd = await startSshd({ DOCKER_HOST: engine.host });
    podman = await startTestPodman();
    engine.cli([
      'run',
      '--pull=never',
      '-d',
      '--name',
      'docker-web',
      testImage,
      'sh',
      '-c',
      'trap "exit 0" TERM; while :; do sleep 1; done',
    ]);
    podman.cli(['pod', 'create', '--infra=false', '--name', 'shop']);
    podman.cli(['create', '--pod', 'shop', '--network', 'none', '--name', 'shop-web', 'busybox:latest', 'sleep', '100']);
    podman.cli(['create', '--pod', 'shop', '--network', 'none', '--name', 'shop-db', 'busybox:latest', 'sleep', '100']);
    podman.cli(['create', '--network', 'none', '--name', 'loner', 'busybox:latest', 'sleep', '100']);
    writeContext(config, 'local', engine.host);
    writeContext(config, 'remote', sshd.url);
    writeFileSync(path.join(config, 'config.json'), JSON.stringify({ currentContext: 'local' }));
    const { DOCKER_HOST: _host, CONTAINER_HOST: _container, ...rest } = { ...engine.env, ...podman.env };
    served = await startServe({
      ...rest,
      DOCKER_CONFIG: config,
      XDG_RUNTIME_DIR: podman.runtimeDir,
      PATH: sshd.knownPath,
      LANYARD_HOME: home,
      SHELL: '/bin/bash',
      HOME: home,
    });
    ({ browser, page } = await openPage(chromiumPath!, served, { width: 1280, height: 800 }, problems));
    page.setDefaultTimeout(30_000);
    await page.goto(`${served.url}#/docker`);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    await podman?.stop();
    await sshd?.stop();
    await engine?.stop();
  });

  const engineLine = () => page.locator('.engine-ok, .engine-problem').innerText();
  const picker = () => page.getByLabel('Docker engine');

  it('shows the engine in use (the current context) and offers every engine there is', async () => {
    await page.locator('.engine-ok').waitFor();
    expect(await engineLine()).toContain(engine.host);
    expect(await engineLine()).toContain('context local');
    const options = await picker().locator('option').allInnerTexts();
    expect(options).toEqual([
      'Automatic (as the docker CLI)',
      `local — ${engine.host}`,
      'default — unix:///var/run/docker.sock',
      expect.stringMatching(/^(local|remote) — /),
      `Podman (rootless) — ${podman.host}`,
    ]);
    expect(options).toContain(`remote — ${sshd.url}`);
  });

  it('switches to the remote engine over ssh://: the header says so and the containers come over ssh', async () => {
    await picker().selectOption('context:remote');
    await expect.poll(engineLine, { timeout: 60_000 }).toContain(sshd.url);
    expect(await engineLine()).toContain('picked here');
    await page.getByRole('tab', { name: 'Containers' }).click();
    await page.locator('tr[data-container="docker-web"]').waitFor({ timeout: 60_000 });
    await screenshot(page, 'docker-engine-ssh');
  });

  it('switches to Podman: its pods are groups, and the pick outlives a reload', async () => {
    await picker().selectOption('podman:rootless');
    await expect.poll(engineLine, { timeout: 30_000 }).toContain(podman.host);
    expect(await page.locator('.engine-ok').getAttribute('data-flavour')).toBe('podman');
    expect(await engineLine()).toMatch(/Podman 4\.\d+\.\d+/);
    await page.getByRole('radio', { name: 'All' }).click();
    await page.locator('tr.group-row[data-pod="shop"]').waitFor();
    expect(await page.locator('tr.group-row[data-pod="shop"]').innerText()).toContain('Pod shop');
    expect(await page.locator('tr[data-in-pod="shop"]').count()).toBe(2);
    expect(await page.locator('tr[data-container="loner"]').getAttribute('data-in-pod')).toBeNull();
    expect(await page.locator('tr.group-row[data-pod="shop"]').innerText()).toContain('0/2 running');
    // Containers start on this Podman (crun): its start and die events reach the panel's list as they happen.
    podman.cli(['start', 'shop-web']);
    const state = () => page.locator('tr[data-container="shop-web"]').getAttribute('data-state');
    await expect.poll(state, { timeout: 30_000 }).toBe('running');
    await expect.poll(() => page.locator('tr.group-row[data-pod="shop"]').innerText()).toContain('1/2 running');
    await page.getByRole('radio', { name: 'Running' }).click();
    await expect.poll(() => page.locator('tr[data-container="shop-db"]').count()).toBe(0);
    expect(await state()).toBe('running');
    await screenshot(page, 'docker-engine-podman-running');
    podman.cli(['stop', '--time', '0', 'shop-web']);
    await expect.poll(() => page.locator('tr[data-container="shop-web"]').count(), { timeout: 30_000 }).toBe(0);
    await page.getByRole('radio', { name: 'All' }).click();
    await expect.poll(state, { timeout: 30_000 }).toBe('exited');
    await screenshot(page, 'docker-engine-podman-pods');
    await page.reload();
    await page.locator('.engine-ok').waitFor();
    expect(await engineLine()).toContain(podman.host);
    expect(await picker().inputValue()).toBe('podman:rootless');
  });

  it('an engine on plain tcp://: the Insecure warning is in the header, and the panel tabs stay in view beside it', async () => {
    // A loopback TCP port relaying to the engine's socket: the engine as `dockerd -H tcp://…` without TLS serves it.
    const relay = net.createServer((client) => {
      const upstream = net.connect(engine.host.slice('unix://'.length));
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    try {
      const host = `tcp://127.0.0.1:${(relay.address() as net.AddressInfo).port}`;
      writeContext(config, 'exposed', host);
      await page.reload();
      await page.locator('.engine-ok').waitFor();
      await picker().selectOption('context:exposed');
      await expect.poll(engineLine, { timeout: 30_000 }).toContain(host);
      await expect.poll(() => page.locator('.engine-warning').innerText()).toMatch(/^\s*Insecure\s+tcp:\/\/127\.0\.0\.1:\d+ is plain TCP/);
      // The long warning pushed the Containers tab out of the view (x past the viewport's 1280 px).
      const tab = await page.getByRole('tab', { name: 'Containers' }).boundingBox();
      expect(tab!.x + tab!.width).toBeLessThanOrEqual(1280);
      await page.getByRole('tab', { name: 'Containers' }).click();
      await page.locator('tr[data-container="docker-web"]').waitFor();
      await screenshot(page, 'docker-engine-insecure');
    } finally {
      relay.close();
    }
  });

  it('back to automatic: the docker CLI’s engine again, and nothing went wrong in the page', async () => {
    await picker().selectOption('');
    await expect.poll(engineLine, { timeout: 30_000 }).toContain(engine.host);
    expect(await engineLine()).toContain('from config.json');
    expect(problems).toEqual([]);
  });
});
