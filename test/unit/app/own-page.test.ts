import { describe, expect, it } from 'vitest';
import { isOwnPage } from '../../../main/app/own-page.ts';

describe('IPC sender check', () => {
  it('trusts only pages served from app://lanyard/', () => {
    expect(isOwnPage('app://lanyard/index.html')).toBe(true);
    expect(isOwnPage('app://lanyard/index.html#/doctor')).toBe(true);
  });

  it('refuses everything else', () => {
    for (const url of [
      undefined,
      '',
      'file:///index.html',
      'https://lanyard/index.html',
      'app://lanyard.evil/index.html',
      'app://evil/lanyard/',
      'app://lanyard',
      'devtools://devtools/bundled/index.html',
      'http://127.0.0.1:5173/',
    ]) {
      expect(isOwnPage(url), String(url)).toBe(false);
    }
  });
});
