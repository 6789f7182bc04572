// Starts the real `lanyard serve` (the built CLI, as a user runs it) and a headless Chromium to drive it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { cliBundle, nodeBin, testOutput } from './paths.ts';

export interface Served {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Run `lanyard serve --port 0` with the given environment; resolves once it prints its URL. */
export function startServe(env: NodeJS.ProcessEnv, args: string[] = []): Promise<Served> {
  const child = spawn(nodeBin, [cliBundle, 'serve', '--port', '0', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`lanyard serve printed no URL within 15 s:\n${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/\S+#token=[\w-]+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        url: match[1]!,
        child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`lanyard serve exited with ${code}:\n${output}`)));
  });
}

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchChromium(executablePath: string, extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath, args: [...chromiumArgs, ...extraArgs] });
}

/** Save a screenshot under test/output/ and return its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(testOutput, { recursive: true });
  const file = path.join(testOutput, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Chromium on the served app, as every e2e test starts: a light-scheme page of the given size whose page errors and
 * console errors (CSP violations among them) are collected into `problems`, all but a machine's network change.
 */
export async function openPage(
  executablePath: string,
  served: Served,
  viewport: { width: number; height: number },
  problems: string[],
): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchChromium(executablePath);
  const page = await browser.newPage({ viewport, colorScheme: 'light' });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // Chromium aborts requests in flight whenever this machine's interfaces change — another test's container or
    // Podman network coming or going — even requests to loopback; the page's own checks say whether it recovered.
    if (m.type() === 'error' && !m.text().includes('net::ERR_NETWORK_CHANGED')) problems.push(`console: ${m.text()}`);
  });
  await page.goto(served.url);
  return { browser, page };
}

/** `lanyard serve` in `home` with bash as the shell, and Chromium on its Terminal view at the first prompt. */
export async function openTerminalView(
  executablePath: string,
  home: string,
  problems: string[],
): Promise<{ served: Served; browser: Browser; page: Page }> {
  const served = await startServe({ LANYARD_HOME: home, HOME: home, SHELL: '/bin/bash' });
  const { browser, page } = await openPage(executablePath, served, { width: 1100, height: 700 }, problems);
  page.setDefaultTimeout(20_000);
  await page.goto(`${served.url.replace(/#.*$/, '')}#/terminal`);
  await page.locator('.terminal-view .xterm-rows').waitFor();
  await page.waitForFunction(() =>
    /[#$]\s*$/m.test((document.querySelector('.terminal-view .xterm-rows') as HTMLElement | null)?.innerText ?? ''),
  );
  return { served, browser, page };
}
