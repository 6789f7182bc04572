import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../main/system/content-security-policy.ts';
import { repoRoot } from '../../support/paths.ts';

describe('the Content-Security-Policy', () => {
  it("in renderer/index.html's meta tag is the served one (less frame-ancestors, which a meta tag cannot set)", () => {
    const html = readFileSync(path.join(repoRoot, 'renderer', 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    const served = contentSecurityPolicy
      .split('; ')
      .filter((d) => !d.startsWith('frame-ancestors'))
      .join('; ');
    expect(meta).toBe(served);
  });

  it('allows no inline or eval script and no plugins', () => {
    expect(contentSecurityPolicy).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(contentSecurityPolicy).toContain("object-src 'none'");
  });
});
