// The launcher `serve --open` hands the browser instead of the token URL (issue 11 row 10).
import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { launcherPage, writeLauncher } from '../../../main/cli/open-browser.ts';
import { tempDir } from '../../support/temp-dir.ts';

describe('the serve launcher file', () => {
  const url = 'http://127.0.0.1:4242/#token=abc_DEF-123';

  it('is private to its owner, fresh each time, and forwards to the URL', () => {
    const dir = path.join(tempDir(), 'data');
    const first = writeLauncher(dir, url);
    const second = writeLauncher(dir, url);
    expect(first).not.toBe(second);
    expect(lstatSync(dir).mode & 0o777).toBe(0o700);
    for (const file of [first, second]) {
      expect(path.dirname(file)).toBe(dir);
      expect(path.basename(file)).not.toContain('abc_DEF');
      expect(lstatSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8')).toContain(`<meta http-equiv="refresh" content="0;url=${url}">`);
    }
  });

  it('escapes the URL for HTML', () => {
    expect(launcherPage('http://h/#"><script>')).not.toContain('"><script>');
  });
});
