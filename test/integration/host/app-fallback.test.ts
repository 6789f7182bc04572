// `npm start` where Electron cannot run: one clear paragraph, then the same app through `lanyard serve`.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { cliBundle, nodeBin } from '../../support/paths.ts';
import { tempDir } from '../../support/temp-dir.ts';

describe('lanyard app without a usable Electron', () => {
  let child: ReturnType<typeof spawn> | null = null;
  // A failed assertion must not leave the server running.
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('explains why and serves the UI instead', async () => {
    const env = { ...process.env, LANYARD_HOME: tempDir(), DISPLAY: '', WAYLAND_DISPLAY: '' };
    const server = spawn(nodeBin, [cliBundle, 'app', '--no-download'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = server;
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed:\n${output}`)), 20_000);
      server.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(output);
        // --open has answered (there is no browser on a headless machine) once this line is out.
        if (match && output.includes('into a browser')) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      server.on('exit', (code) => reject(new Error(`exited ${code}:\n${output}`)));
    });
    // One paragraph, one line per step of Electron → app window → browser tab, each saying why not the one before.
    const paragraph = output.split('\n\n').find((p) => p.includes('cannot open its Electron window'));
    expect(paragraph, output).toBeDefined();
    const [electron, appWindow] = paragraph!.trim().split('\n');
    expect(electron).toMatch(/Electron binary is not installed|no graphical display/);
    expect(appWindow).toMatch(/^No app window either: there is no graphical display here .*Starting `lanyard serve --open` instead/);
    expect(output).toContain('copy the URL above into a browser');
    // The page is served; the token stays in the fragment, which never goes over HTTP.
    const status = await new Promise<number>((resolve, reject) => http.get(url, (res) => resolve(res.statusCode ?? 0)).on('error', reject));
    expect(status).toBe(200);
    const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
    server.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('Lanyard stopped serving.');
  });
});
