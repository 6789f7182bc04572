// The Captures view's HEP side in headless Chromium against the real `lanyard serve`: the listener started from
// the form with a HEP port, a password, and forwarding to a HOMER stand-in (a Lanyard HEP receiver in this test)
// with its auth key; two HEP agents on loopback (one over UDP with a node name, one over TCP, one of its messages
// with a wrong key); the view lists each agent with its id, node name, address, version, messages and wrong-key
// count, and the forwarding line counts what was relayed. Screenshots in test/output/.
import dgram from 'node:dgram';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { encodeHep3 } from '../../main/captures/hep/hep-encode.ts';
import type { HepMessage } from '../../main/captures/hep/hep-parse.ts';
import { HepReceiver } from '../../main/captures/hep/hep-receiver.ts';
import { freePort } from '../integration/captures/sip-lab.ts';
import { findPeer } from '../support/peers.ts';
import { openPage, screenshot, startServe, type Served } from '../support/serve.ts';
import { tempDir } from '../support/temp-dir.ts';

const chromiumPath = findPeer('chromium', 'apt-get install chromium');

const sip = (n: number) =>
  Buffer.from(`OPTIONS sip:edge SIP/2.0\r\nCall-ID: hep-e2e-${n}\r\nCSeq: ${n} OPTIONS\r\nContent-Length: 0\r\n\r\n`);
const hep = (n: number, captureId: number, authKey: string, nodeName?: string) =>
  encodeHep3({
    protocol: 17,
    src: '192.0.2.10',
    dst: '192.0.2.20',
    sport: 5060,
    dport: 5060,
    timestampUs: Date.now() * 1000,
    payloadType: 1,
    captureId,
    authKey,
    ...(nodeName ? { nodeName } : {}),
    payload: sip(n),
  })!;

describe.skipIf(!chromiumPath)('the Captures view with HEP agents in Chromium', () => {
  const home = tempDir();
  let served: Served;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const homerSeen: HepMessage[] = [];
  let homer: HepReceiver;

  beforeAll(async () => {
    homer = new HepReceiver({ port: await freePort(), bind: '127.0.0.1', password: 'homer-key' }, (m) => homerSeen.push(m));
    await homer.start();
    served = await startServe({ LANYARD_HOME: home });
    ({ browser, page } = await openPage(chromiumPath!, served, { width: 1280, height: 1000 }, problems));
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    await homer?.stop();
  });

  it('lists each agent with its id, node name, address, messages and wrong keys; forwarding counts the relayed', {
    timeout: 60_000,
  }, async () => {
    await page.locator('nav[aria-label="Views"] button', { hasText: 'Captures' }).click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Captures');
    const hepPort = await freePort();
    const form = page.getByRole('form', { name: 'Listener settings' });
    await form.getByLabel('UDP port').fill('0');
    await form.getByLabel('Listen address').fill('127.0.0.1');
    await form.getByLabel(/HEP port/).fill(String(hepPort));
    await form.getByLabel('HEP password').fill('agent-key');
    await form.getByLabel(/Forward to HOMER/).fill(`127.0.0.1:${homer.address!.port}`);
    await form.getByLabel('HOMER auth key').fill('homer-key');
    await form.getByRole('button', { name: 'Start listening' }).click();
    await page.getByTestId('listener-running').waitFor();
    await page.getByTestId('no-hep-agents').waitFor();

    // Agent 2001 over UDP with a node name: three messages, one with the wrong key.
    const udp = dgram.createSocket('udp4');
    const sendUdp = (d: Buffer) => new Promise<void>((r) => udp.send(d, hepPort, '127.0.0.1', () => r()));
    await sendUdp(hep(1, 2001, 'agent-key', 'kamailio-edge'));
    await sendUdp(hep(2, 2001, 'agent-key', 'kamailio-edge'));
    await sendUdp(hep(3, 2001, 'not-the-key', 'kamailio-edge'));
    udp.close();
    // Agent 7 over TCP, no node name: two messages back to back in one segment.
    const tcp = net.connect(hepPort, '127.0.0.1');
    await new Promise((r) => tcp.once('connect', r));
    tcp.write(Buffer.concat([hep(4, 7, 'agent-key'), hep(5, 7, 'agent-key')]));

    const edge = page.locator('tr[data-agent="hep 2001/kamailio-edge@127.0.0.1"]');
    await edge.locator('[data-field="messages"]', { hasText: '2' }).waitFor({ timeout: 10_000 });
    const plain = page.locator('tr[data-agent="hep 7@127.0.0.1"]');
    await plain.locator('[data-field="messages"]', { hasText: '2' }).waitFor({ timeout: 10_000 });
    const row = async (r: typeof edge) =>
      Object.fromEntries(
        await Promise.all(
          ['capture-id', 'node-name', 'address', 'version', 'messages', 'auth-failed'].map(
            async (f) => [f, (await r.locator(`[data-field="${f}"]`).textContent())!.trim()] as const,
          ),
        ),
      );
    expect(await row(edge)).toEqual({
      'capture-id': '2001',
      'node-name': 'kamailio-edge',
      address: '127.0.0.1',
      version: 'v3',
      messages: '2',
      'auth-failed': '1',
    });
    expect(await row(plain)).toMatchObject({ 'capture-id': '7', 'node-name': '—', messages: '2', 'auth-failed': '0' });
    expect(await edge.locator('[data-field="auth-failed"]').getAttribute('class')).toContain('warn');
    const totals = page.getByTestId('hep-totals');
    await expect.poll(async () => totals.textContent()).toContain('HEP messages4');
    expect(await totals.textContent()).toContain('Wrong key1');

    // The four accepted messages went on to HOMER with its key, every one accepted there.
    await expect.poll(() => homerSeen.length).toBe(4);
    expect(homer.totals).toMatchObject({ messages: 4, authFailed: 0 });
    expect(homerSeen.map((m) => m.authKey)).toEqual(Array(4).fill('homer-key'));
    await expect.poll(async () => page.getByTestId('hep-forward').textContent()).toContain('4 sent');
    expect(await page.getByTestId('hep-forward').textContent()).toContain('Forwarding SIP and RTCP as HEPv3 to 127.0.0.1:');
    await screenshot(page, 'captures-hep-agents-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'captures-hep-agents-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    tcp.destroy();
    await page.getByRole('button', { name: 'Stop listening' }).click();
    await page.getByRole('form', { name: 'Listener settings' }).waitFor();
    expect(problems).toEqual([]);
  });
});
