// The Captures view in headless Chromium against the real `lanyard serve`: start the listener, real TZSP over
// loopback, the sensor table and decoded packets, record to a file (judged by tshark), stop. Screenshots in test/output/.
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildTzsp } from '../../main/captures/tzsp.ts';
import { arpRequest, ethernetDns, rawIcmp } from '../integration/captures/frames.ts';
import { tsharkRead } from '../integration/captures/tshark.ts';
import { wiresharkStandIn } from '../integration/captures/wireshark-stand-in.ts';
import { findPeer } from '../support/peers.ts';
import { openPage, screenshot, startServe, type Served } from '../support/serve.ts';
import { tempDir } from '../support/temp-dir.ts';

const chromiumPath = findPeer('chromium', 'apt-get install chromium');
const tsharkPath = findPeer('tshark', 'apt-get install tshark');

describe.skipIf(!chromiumPath || !tsharkPath)('the Captures view in Chromium', () => {
  const home = tempDir();
  let served: Served;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const sensorA = dgram.createSocket('udp4');
  const sensorB = dgram.createSocket('udp4');
  const standIn = wiresharkStandIn(home, 'wireshark', 3);

  beforeAll(async () => {
    await new Promise<void>((r) => sensorA.bind(0, '127.0.0.1', r));
    await new Promise<void>((r) => sensorB.bind(0, '127.0.0.2', r));
    served = await startServe({ LANYARD_HOME: home, LANYARD_WIRESHARK: standIn.script });
    ({ browser, page } = await openPage(chromiumPath!, served, { width: 1280, height: 960 }, problems));
  });
  afterAll(async () => {
    sensorA.close();
    sensorB.close();
    await browser?.close();
    await served?.stop();
  });

  it('starts the listener, shows each sensor and decoded packets, records to a file, and stops', { timeout: 60_000 }, async () => {
    await page.locator('nav[aria-label="Views"] button', { hasText: 'Captures' }).click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Captures'); // the view's code loads on first open
    const form = page.getByRole('form', { name: 'Listener settings' });
    await form.getByLabel('UDP port').fill('0');
    await form.getByLabel('Listen address').fill('127.0.0.1');
    await form.getByRole('button', { name: 'Start listening' }).click();
    const running = page.getByTestId('listener-running');
    await running.waitFor();
    const where = (await running.locator('.mono').first().textContent())!;
    const port = Number(where.split(':').at(-1));
    expect(port).toBeGreaterThan(0);
    await page.getByTestId('no-sensors').waitFor();
    await screenshot(page, 'captures-waiting');

    const send = (s: dgram.Socket, d: Buffer) => new Promise<void>((r) => s.send(d, port, '127.0.0.1', () => r()));
    const record = page.getByRole('form', { name: 'Record to file' });
    const file = path.join(home, 'ui-recording.pcapng');
    await record.getByLabel('Record to').fill(file);
    await record.getByRole('button', { name: 'Record to file' }).click();
    await page.locator('[data-output="file"]').waitFor();

    for (let i = 0; i < 30; i++) {
      await send(sensorA, Buffer.concat([Buffer.from([1, 0, 0, 1, 1]), i % 2 ? arpRequest : ethernetDns]));
      if (i % 3 === 0) await send(sensorB, buildTzsp(rawIcmp, { encapsulation: 7, deviceName: 'edge-b', packetId: i + (i > 10 ? 5 : 0) }));
    }
    await send(sensorB, Buffer.from([1, 0, 0])); // malformed
    await page.locator('tr[data-sensor="127.0.0.1"] [data-field="packets"]', { hasText: '30' }).waitFor({ timeout: 10_000 });
    await page.locator('tr[data-sensor="edge-b@127.0.0.2"]').waitFor();
    await page.locator('.packet-row[data-protocol="ICMP"]').first().waitFor();
    expect(await page.locator('.packet-row[data-protocol="DNS"]').first().textContent()).toContain('Standard query 0x1234 A example.com');
    expect(await page.locator('.packet-row[data-protocol="ARP"]').first().textContent()).toContain('Who has 192.0.2.2? Tell 192.0.2.1');
    await page.waitForTimeout(2200); // two rate samples for the sparklines
    await screenshot(page, 'captures-live-light');

    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'captures-live-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // "Open in Wireshark": the stand-in (tshark -c 3) sees every sensor's interface; closing it leaves the listener up.
    await page.getByRole('button', { name: 'Open in Wireshark' }).click();
    await page.locator('[data-output="wireshark"]').waitFor();
    await page.waitForTimeout(500);
    await send(sensorA, Buffer.concat([Buffer.from([1, 0, 0, 1, 1]), arpRequest]));
    await send(sensorB, buildTzsp(rawIcmp, { encapsulation: 7, deviceName: 'edge-b' }));
    await send(sensorA, Buffer.concat([Buffer.from([1, 0, 0, 1, 1]), ethernetDns]));
    for (let i = 0; i < 100 && !(existsSync(standIn.file) && tsharkRead(standIn.file).length === 3); i++) await page.waitForTimeout(100);
    expect(tsharkRead(standIn.file).map((p) => p.interfaceName)).toEqual(['127.0.0.1', 'edge-b@127.0.0.2 ip', '127.0.0.1']);
    // A pipe tells its writer the reader left only on the next write: traffic keeps flowing, the output goes.
    await send(sensorA, Buffer.concat([Buffer.from([1, 0, 0, 1, 1]), arpRequest]));
    await page.locator('[data-output="wireshark"]').waitFor({ state: 'detached', timeout: 15_000 });
    await page.getByTestId('listener-running').waitFor();

    await page.locator('[data-output="file"] button', { hasText: 'Stop' }).click();
    await page.locator('[data-output="file"]').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Stop listening' }).click();
    await page.getByRole('form', { name: 'Listener settings' }).waitFor();
    expect(existsSync(file)).toBe(true);
    const read = tsharkRead(file);
    expect(read.length).toBe(44);
    expect(new Set(read.map((p) => p.interfaceName))).toEqual(new Set(['127.0.0.1', 'edge-b@127.0.0.2 ip']));
    expect(problems).toEqual([]);
  });
});
