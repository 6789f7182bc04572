// The Calls view in headless Chromium against the real `lanyard serve`: a generated capture opened by path, the
// list with states, "failed only", the keyboard, a 200-message ladder (its render time printed), a message with
// its SDP, a lossy stream's loss chart, and an exported call that tshark reads. Screenshots in test/output/.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { tsharkRead } from '../integration/captures/tshark.ts';
import { writeCallCapture } from '../support/call-capture.ts';
import { findPeer } from '../support/peers.ts';
import { openPage, screenshot, startServe, type Served } from '../support/serve.ts';
import { tempDir } from '../support/temp-dir.ts';

const chromiumPath = findPeer('chromium', 'apt-get install chromium');
const tsharkPath = findPeer('tshark', 'apt-get install tshark');

describe.skipIf(!chromiumPath || !tsharkPath)('the Calls view in Chromium', () => {
  const home = tempDir();
  const fakeWireshark = path.join(home, 'fake-wireshark');
  const capture = path.join(home, 'calls.pcapng');
  let served: Served;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    // 40 calls; every tenth refused (486); call 0 has 200 messages (96 INFO transactions, one INVITE
    // retransmitted); call 1 loses 25 packets each way in its second second of media.
    writeCallCapture(capture, {
      calls: 40,
      rtpPackets: 150,
      infos: (i) => (i === 0 ? 96 : 0),
      retransmit: (i) => i === 0,
      lose: (i, k) => i === 1 && k >= 50 && k < 75,
    });
    // A FAKE Wireshark (the GUI is not installed here): it writes the arguments it was started with.
    writeFileSync(fakeWireshark, `#!/bin/sh\nprintf '%s\\n' "$@" > ${JSON.stringify(`${fakeWireshark}.args`)}\n`, { mode: 0o755 });
    served = await startServe({ LANYARD_HOME: home, LANYARD_WIRESHARK: fakeWireshark });
    ({ browser, page } = await openPage(chromiumPath!, served, { width: 1400, height: 1000 }, problems));
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('opens a capture, filters, draws the ladder, shows messages and loss, and exports a call', { timeout: 90_000 }, async () => {
    await page.locator('nav[aria-label="Views"] button', { hasText: 'Calls' }).click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Calls');
    const openForm = page.getByRole('form', { name: 'Open capture file' });
    await openForm.getByLabel('Capture file').fill(capture);
    await openForm.getByRole('button', { name: 'Open file…' }).click();
    const count = page.getByTestId('calls-count');
    await expect.poll(() => count.textContent(), { timeout: 20_000 }).toContain('40 calls');
    expect(await page.locator('.calls-row[data-call="bench-0@lanyard"]').getAttribute('data-state')).toBe('completed');
    expect(await page.locator('.calls-row[data-call="bench-9@lanyard"]').textContent()).toContain('rejected 486');

    await page.getByLabel('Failed calls only').check();
    await expect.poll(() => count.textContent()).toContain('4 of 40');
    const failedStates = await page
      .locator('.calls-scroll .calls-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-state')));
    expect(failedStates).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    await page.getByLabel('Failed calls only').uncheck();
    await page.getByLabel('State').selectOption('completed');
    await expect.poll(() => count.textContent()).toContain('36 of 40');
    await page.getByLabel('State').selectOption('');

    // Keyboard: the filter box narrows to call 0, Enter opens it.
    const filter = page.getByLabel('Filter calls');
    await filter.fill('sip:1000@');
    await expect.poll(() => count.textContent()).toContain('1 of 40');
    await filter.press('Enter');
    const ladder = page.locator('svg.ladder');
    await ladder.waitFor();
    expect(await ladder.getAttribute('data-messages')).toBe('200');
    const renderMs = Number(await ladder.getAttribute('data-render-ms'));
    console.log(
      `Calls view: ladder of a 200-message dialog rendered in ${renderMs.toFixed(1)} ms (React render to commit, headless Chromium)`,
    );
    expect(renderMs).toBeGreaterThan(0);
    expect(renderMs).toBeLessThan(1000);
    const labels = await page.locator('.ladder-arrow').evaluateAll((arrows) => arrows.slice(0, 6).map((a) => a.getAttribute('data-label')));
    expect(labels).toEqual(['INVITE (SDP)', 'INVITE (SDP)', '100 Trying', '180 Ringing', '200 OK (SDP)', 'ACK']);
    expect(await page.locator('.ladder-arrow.retransmission').count()).toBe(1);
    expect(await page.locator('.ladder-arrow[data-message="1"]').getAttribute('class')).toContain('retransmission');
    expect(await page.locator('.ladder-host').allTextContents()).toEqual(['10.1.0.1:5060', '10.2.0.1:5060']);

    await page.locator('.ladder-arrow[data-message="4"]').click();
    const message = page.getByRole('region', { name: 'SIP message' });
    await expect.poll(() => message.locator('pre strong').textContent()).toBe('SIP/2.0 200 OK');
    expect(await message.getByTestId('sdp').textContent()).toContain('m=audio 40000 RTP/AVP 0');
    // ↓ from the ladder picks the next message (the ACK, no body).
    await page.locator('.ladder-scroll').press('ArrowDown');
    await expect.poll(() => message.locator('pre strong').textContent()).toBe('ACK sip:5000@lanyard.test SIP/2.0');
    expect(await message.getByTestId('sdp').count()).toBe(0);
    expect(await page.locator('.stream-card .chart-loss').count()).toBe(0); // call 0 lost nothing
    await screenshot(page, 'calls-ladder-light');

    // Call 1: loss in the second second of both streams, drawn there.
    await filter.fill('');
    await page.locator('.calls-row[data-call="bench-1@lanyard"]').click();
    await page.locator('.call-detail[data-call="bench-1@lanyard"] .stream-card').first().waitFor();
    const cards = page.locator('.stream-card');
    expect(await cards.count()).toBe(2);
    for (const card of await cards.all()) {
      expect(await card.getAttribute('data-lost')).toBe('25');
      const bars = await card
        .locator('[data-chart="Loss"] .chart-loss')
        .evaluateAll((r) => r.map((e) => Number(e.getAttribute('data-second'))));
      expect(bars).toEqual([1]);
    }
    await screenshot(page, 'calls-loss-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'calls-loss-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // Export the call; tshark reads exactly its 7 SIP messages and 250 RTP packets.
    const out = path.join(home, 'exported-call-1.pcapng');
    const exportForm = page.getByRole('form', { name: 'Export call' });
    await exportForm.getByLabel('Export to').fill(out);
    await exportForm.getByRole('button', { name: 'Export call' }).click();
    await expect.poll(() => page.getByTestId('exported').textContent()).toContain('Wrote 257 packets');
    const read = tsharkRead(out);
    expect(read.length).toBe(257);
    expect(read.filter((p) => p.protocols.endsWith(':sip') || p.protocols.includes(':sip:')).length).toBe(7);
    // …and opens it in Wireshark (here the fake, which records how it was started).
    await page.getByTestId('exported').getByRole('button', { name: 'Open in Wireshark' }).click();
    await expect.poll(() => existsSync(`${fakeWireshark}.args`)).toBe(true);
    expect(readFileSync(`${fakeWireshark}.args`, 'utf8').trim().split('\n')).toEqual(['-r', out]);
    expect(problems).toEqual([]);
  });

  it('a capture that breaks midway: its calls up to the break, and where and why it broke above the list', {
    timeout: 60_000,
  }, async () => {
    await page.locator('nav[aria-label="Views"] button', { hasText: 'Calls' }).click();
    const whole = readFileSync(capture);
    // Cut in the middle of the file: inside some packet block.
    const cut = path.join(home, 'cut-short.pcapng');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const clear = page.getByRole('button', { name: 'Clear' });
    if (await clear.isEnabled()) await clear.click(); // disabled with nothing open
    const openForm = page.getByRole('form', { name: 'Open capture file' });
    await openForm.getByLabel('Capture file').fill(cut);
    await openForm.getByRole('button', { name: 'Open file…' }).click();
    const warnings = page.getByRole('list', { name: 'Capture files that broke midway' });
    await warnings.waitFor({ timeout: 20_000 });
    const line = (await warnings.locator('li').textContent()) ?? '';
    expect(line).toMatch(
      new RegExp(
        `^Cut short ${cut.replaceAll('.', '\\.')}: stopped at byte [\\d,]+ \\(packet [\\d,]+\\): the file ends [\\d,]+ bytes into a block of [\\d,]+ bytes \\(cut short\\) — the [\\d,]+ packets before it were read$`,
      ),
    );
    const count = page.getByTestId('calls-count');
    // Every call began before the cut (they start 5 ms apart); fewer ended before it than the 36 of the whole file.
    await expect.poll(() => count.textContent(), { timeout: 20_000 }).toContain('40 calls');
    await page.getByLabel('State').selectOption('completed');
    const completed = Number(/(\d+) of 40/.exec((await count.textContent()) ?? '')?.[1]);
    expect(completed).toBeLessThan(36);
    await page.getByLabel('State').selectOption('');
    await screenshot(page, 'calls-broken-file-light');

    // Nothing readable: an error naming the file, and the list as it was.
    const junk = path.join(home, 'junk.pcap');
    writeFileSync(junk, Buffer.from('not a capture at all, just words'));
    await openForm.getByLabel('Capture file').fill(junk);
    await openForm.getByRole('button', { name: 'Open file…' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain(`${junk}: not a pcap or pcapng file`);
    expect(await warnings.locator('li').count()).toBe(1);
    await screenshot(page, 'calls-broken-file-error-light');
    await page.getByRole('alert').first().getByRole('button', { name: 'Dismiss' }).click();
    // Clear forgets the warning with the calls.
    await clear.click();
    await expect.poll(() => warnings.count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('keeps thousands of calls smooth: only the visible rows exist, and the keyboard reaches the last call', {
    timeout: 90_000,
  }, async () => {
    const many = path.join(home, 'many.pcapng');
    writeCallCapture(many, { calls: 5000, rtpPackets: 2, spacingMs: 2 });
    const clear = page.getByRole('button', { name: 'Clear' });
    if (await clear.isEnabled()) await clear.click(); // disabled with nothing open
    const openForm = page.getByRole('form', { name: 'Open capture file' });
    await openForm.getByLabel('Capture file').fill(many);
    await openForm.getByRole('button', { name: 'Open file…' }).click();
    const count = page.getByTestId('calls-count');
    await expect.poll(() => count.textContent(), { timeout: 30_000 }).toContain('5000 calls');
    expect(await page.locator('.calls-scroll .calls-row').count()).toBeLessThan(60);
    const list = page.getByRole('listbox', { name: /^Calls/ });
    await list.focus();
    const started = await page.evaluate(() => performance.now());
    for (let i = 0; i < 20; i++) await list.press('PageDown');
    await list.press('End');
    await page.locator('.calls-row[data-call="bench-4999@lanyard"][aria-selected="true"]').waitFor();
    const tookMs = (await page.evaluate(() => performance.now())) - started;
    console.log(
      `Calls view: 20 × PageDown and End through 5,000 calls in ${tookMs.toFixed(0)} ms (headless Chromium, with the test's round trips)`,
    );
    await list.press('Enter');
    await page.locator('.call-detail[data-call="bench-4999@lanyard"] svg.ladder').waitFor();
    expect(await page.locator('.calls-scroll .calls-row').count()).toBeLessThan(60);
    expect(problems).toEqual([]);
  });
});
