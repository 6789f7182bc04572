// The ACME card in headless Chromium against the real `lanyard serve`: turn the server on from the app, lego gets a
// certificate from the directory URL it shows, the order appears with what was fetched from where, a client whose
// challenge cannot be reached shows why it failed, and the certificate is revoked from the inventory.
// Screenshots in test/output/.
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { findPeer } from '../support/peers.ts';
import { openPage, screenshot, startServe, type Served } from '../support/serve.ts';
import { tempDir } from '../support/temp-dir.ts';

const chromiumPath = findPeer('chromium', 'apt-get install chromium');
const lego = findPeer('lego', 'apt-get install lego');

function legoRun(home: string, args: string[], caFile: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(lego!, ['--accept-tos', '--email', 'dev@app.test', '--path', path.join(home, 'lego'), ...args], {
      env: { ...process.env, LEGO_CA_CERTIFICATES: caFile },
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (status) => resolve({ status, output }));
  });
}

describe.skipIf(!chromiumPath || !lego)('the ACME card in Chromium', () => {
  const home = tempDir('lanyard-acme-e2e-');
  let served: Served;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    served = await startServe({ LANYARD_HOME: path.join(home, 'lanyard'), HOME: home, CAROOT: '' });
    ({ browser, page } = await openPage(chromiumPath!, served, { width: 1280, height: 1400 }, problems));
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('turns ACME on, lego gets a certificate, the orders show their challenges, and revoking works', { timeout: 120_000 }, async () => {
    await page.locator('nav[aria-label="Views"] button', { hasText: 'Certificates' }).click();
    const card = page.locator('section.certs-acme');
    await card.getByText('Off', { exact: true }).waitFor();
    const httpPort = await freePort();
    await card.getByLabel('Port', { exact: true }).fill('0');
    await card.getByLabel('Validity').fill('36h');
    await card.getByLabel('http-01 port').fill(String(httpPort));
    await card.getByText('Resolve every name to 127.0.0.1').click();
    await card.getByLabel('DNS server', { exact: true }).fill('127.0.0.1');
    await card.getByRole('button', { name: 'Save and turn on' }).click();
    await card.getByText('Running', { exact: true }).waitFor();
    const directory = (await card.getByTestId('acme-directory').textContent())!;
    expect(directory).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/directory$/);
    // The DNS server as the server normalised it (port 53 added), said back in the card and in the field.
    await card.getByText('dns-01 asks the DNS server at 127.0.0.1:53').waitFor();
    const caFile = path.join(home, 'lanyard', 'ca', 'rootCA.pem');
    // Each client's setup, filled with this server's directory and CA file.
    const snippets = card.getByRole('region', { name: 'Client setup' });
    await expect.poll(() => snippets.locator('pre[data-client="caddy"]').textContent()).toContain(`acme_ca ${directory}`);
    expect(await snippets.locator('pre').textContent()).toContain(caFile);
    await snippets.getByRole('tab', { name: /certbot/i }).click();
    expect(await snippets.locator('pre[data-client="certbot"]').textContent()).toContain(`--server ${directory}`);
    // The name typed is the one the setup asks for; a name the server cannot issue says why.
    const name = snippets.getByRole('textbox', { name: 'Name for the client setup' });
    await name.fill('shop.dev.internal');
    await expect.poll(() => snippets.locator('pre[data-client="certbot"]').textContent()).toMatch(/-d '?shop\.dev\.internal'?/);
    await name.fill('bad name');
    await snippets.locator('.certs-acme-problem').waitFor();
    await name.fill('app.test');
    await expect.poll(() => snippets.locator('pre[data-client="certbot"]').textContent()).toContain('app.test');

    const ok = await legoRun(
      home,
      ['--server', directory, '--domains', 'app.test', '--http', '--http.port', `127.0.0.1:${httpPort}`, 'run'],
      caFile,
    );
    expect(ok.status, ok.output).toBe(0);
    // A client listening elsewhere than the validation port: the challenge fails, and the card says where it went.
    const other = await freePort();
    const bad = await legoRun(
      home,
      ['--server', directory, '--domains', 'down.test', '--http', '--http.port', `127.0.0.1:${other}`, 'run'],
      caFile,
    );
    expect(bad.status).not.toBe(0);

    const orders = card.getByRole('list', { name: 'Recent ACME orders' });
    await orders.locator('li[data-order-status="valid"]', { hasText: 'app.test' }).waitFor({ timeout: 10_000 });
    const failed = orders.locator('li[data-order-status="invalid"]', { hasText: 'down.test' });
    await failed.waitFor({ timeout: 10_000 });
    await expect(failed.textContent()).resolves.toMatch(
      new RegExp(`GET http://down\\.test:${httpPort}/\\.well-known/acme-challenge/\\S+ at 127\\.0\\.0\\.1: connect ECONNREFUSED`),
    );
    await expect(orders.locator('li', { hasText: 'app.test' }).textContent()).resolves.toMatch(/key authorization matches/);
    await screenshot(page, 'certs-acme-card');

    // The issued certificate in the inventory, with its client: the list follows new orders without a reload.
    const row = page.locator('.certs-tr', { hasText: 'app.test' });
    await row.getByText(/ACME · lego/).waitFor();
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByText('revoked', { exact: true }).waitFor();
    await screenshot(page, 'certs-acme-revoked');
    expect(problems).toEqual([]);
  });
});
