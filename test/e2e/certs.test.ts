// The Certificates view in headless Chromium against the real `lanyard serve`: create a name-constrained CA,
// trust it in a real NSS database (certutil), issue localhost 127.0.0.1 ::1 *.app.test, see it in the
// inventory, renew it, serve HTTPS with it and open that in Chromium with no warning, uninstall.
// Screenshots in test/output/.
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../integration/certs/helpers.ts';
import { findPeer } from '../support/peers.ts';
import { chromiumArgs, openPage, screenshot, startServe, type Served } from '../support/serve.ts';
import { tempDir } from '../support/temp-dir.ts';

const chromiumPath = findPeer('chromium', 'apt-get install chromium');
const certutil = findPeer('certutil', 'apt-get install libnss3-tools');

describe.skipIf(!chromiumPath || !certutil)('the Certificates view in Chromium', () => {
  const home = tempDir();
  const nssdb = path.join(home, '.pki', 'nssdb');
  let served: Served;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(nssdb, { recursive: true });
    run(certutil!, ['-N', '-d', `sql:${nssdb}`, '--empty-password']);
    // JAVA_HOME points nowhere so the machine's real cacerts is never touched from the UI here.
    served = await startServe({ LANYARD_HOME: path.join(home, 'lanyard'), HOME: home, CAROOT: '', JAVA_HOME: path.join(home, 'no-java') });
    ({ browser, page } = await openPage(chromiumPath!, served, { width: 1280, height: 1100 }, problems));
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('creates a constrained CA, trusts it in NSS, issues, renews and uninstalls', { timeout: 90_000 }, async () => {
    await page.locator('nav[aria-label="Views"] button', { hasText: 'Certificates' }).click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Certificates'); // the view's code loads on first open
    await page.getByText('No CA yet').waitFor();
    // Proposed constraints are chips; add the user's own domain.
    await page.getByLabel('Permitted names and ranges').fill('dev.example.com');
    await page.getByLabel('Permitted names and ranges').press('Enter');
    await screenshot(page, 'certs-create-ca');
    await page.getByRole('button', { name: 'Create CA' }).click();
    await page.getByText('SHA-256').waitFor();
    const ca = page.locator('.certs-ca');
    await expect(ca.locator('.chip').allTextContents()).resolves.toEqual(
      expect.arrayContaining(['localhost', 'test', 'dev.example.com', '127.0.0.0/8']),
    );

    const nssRow = page.locator('tr[data-store="nss"]');
    await nssRow.getByText('Not trusted', { exact: true }).waitFor();
    await nssRow.getByRole('button', { name: 'Install' }).click();
    await nssRow.getByText('Trusted', { exact: true }).waitFor({ timeout: 30_000 });
    await expect(page.locator('.certs-log').textContent()).resolves.toMatch(
      /\$ \S*certutil -A -d sql:\S+ -t C,, -n 'Lanyard development CA \d+'/,
    );

    const names = page.getByLabel('Names', { exact: true });
    await names.fill('localhost 127.0.0.1 ::1 *.app.test example.org');
    await names.press('Enter');
    await page.locator('.chip-bad', { hasText: 'example.org' }).waitFor();
    await page.getByRole('button', { name: 'Remove example.org' }).click();
    await page.getByRole('region', { name: 'New certificate' }).getByLabel('Validity').selectOption('14');
    await screenshot(page, 'certs-new-certificate');
    await page.getByRole('button', { name: 'Issue certificate' }).click();
    await page.locator('.certs-issued').waitFor();
    await expect(page.locator('.certs-issued').textContent()).resolves.toContain('localhost+3.pem');

    const row = page.locator('[data-cert-id]').first();
    await expect(row.textContent()).resolves.toContain('localhost 127.0.0.1 ::1 *.app.test');
    await expect(row.locator('.badge-warn').textContent()).resolves.toBe('13 days');
    await page.locator('.certs-issued').waitFor();
    await screenshot(page, 'certs-inventory');
    await row.getByRole('button', { name: 'Renew' }).click();
    await page.getByText('Renewed localhost').waitFor();

    // Serve HTTPS with the renewed leaf; a Chromium reading that NSS database opens it with no certificate error.
    const certs = path.join(home, 'lanyard', 'certs');
    const server = createServer(
      { cert: readFileSync(path.join(certs, 'localhost+3.pem')), key: readFileSync(path.join(certs, 'localhost+3-key.pem')) },
      (_req, res) => res.end('<title>served by a Lanyard leaf</title>'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const visitor = await chromium.launch({ executablePath: chromiumPath!, args: chromiumArgs, env: { ...process.env, HOME: home } });
    try {
      const tab = await visitor.newPage();
      await tab.goto(`https://localhost:${(server.address() as AddressInfo).port}/`);
      await expect(tab.title()).resolves.toBe('served by a Lanyard leaf');
    } finally {
      await visitor.close();
      server.close();
    }

    await nssRow.getByRole('button', { name: 'Uninstall' }).click();
    await nssRow.getByText('Not trusted', { exact: true }).waitFor({ timeout: 30_000 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'certs-dark');
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
