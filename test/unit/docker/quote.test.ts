import { describe, expect, it } from 'vitest';
import { quotePosix, quotePowerShell } from '../../../main/docker/quote.ts';

describe('POSIX sh quoting', () => {
  it('leaves plain words alone and single-quotes the rest', () => {
    expect(quotePosix('web-1')).toBe('web-1');
    expect(quotePosix('busybox:latest')).toBe('busybox:latest');
    expect(quotePosix('/data/x.txt')).toBe('/data/x.txt');
    expect(quotePosix('')).toBe("''");
    expect(quotePosix('x; touch pwned')).toBe("'x; touch pwned'");
    expect(quotePosix('~')).toBe("'~'");
    expect(quotePosix('a*')).toBe("'a*'");
  });
  it("closes, escapes and reopens around a single quote", () => {
    expect(quotePosix("it's")).toBe(`'it'\\''s'`);
  });
});

describe('PowerShell quoting', () => {
  it('single-quotes and doubles every kind of single quote', () => {
    expect(quotePowerShell('web-1')).toBe('web-1');
    expect(quotePowerShell('x; touch pwned')).toBe("'x; touch pwned'");
    expect(quotePowerShell("it's")).toBe("'it''s'");
    // PowerShell treats the typographic single quotes as quotes too.
    expect(quotePowerShell('a\u2019b')).toBe("'a\u2019\u2019b'");
    expect(quotePowerShell('$(calc)')).toBe("'$(calc)'");
    expect(quotePowerShell('@args')).toBe("'@args'");
    expect(quotePowerShell('-x')).toBe("'-x'");
    expect(quotePowerShell('`n')).toBe("'`n'");
  });
});
