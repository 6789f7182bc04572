import { describe, expect, it } from 'vitest';
import { extcapConfigText, extcapDltsText, extcapInterfacesText, launcherText } from '../../../main/captures/extcap.ts';
import { splitAllow } from '../../../main/captures/allow-list.ts';
import { parseCount, parseSize } from '../../../main/captures/cli/tzsp.ts';

describe('extcap protocol text', () => {
  it('answers --extcap-interfaces, --extcap-dlts and --extcap-config in the documented line format', () => {
    expect(extcapInterfacesText('1.2.3')).toBe(
      'extcap {version=1.2.3}\ninterface {value=lanyard-tzsp}{display=Lanyard TZSP receiver (UDP, one interface per sensor)}\n',
    );
    expect(extcapDltsText()).toMatch(/^dlt \{number=1\}\{name=EN10MB\}\{display=[^{}]+\}\n$/);
    const args = extcapConfigText().trim().split('\n');
    expect(args.map((a) => /\{call=([^}]+)\}/.exec(a)?.[1])).toEqual(['--port', '--bind', '--allow']);
    expect(args[0]).toContain('{type=unsigned}');
    expect(args[0]).toContain('{default=37008}');
  });

  it('writes a launcher that survives quotes and spaces in its paths', () => {
    if (process.platform !== 'win32')
      expect(launcherText('/n o/node', '/c/cli.js')).toContain(`exec '/n o/node' /c/cli.js tzsp extcap "$@"`);
  });
});

describe('tzsp CLI value parsing', () => {
  it('reads sizes, counts and allow-lists as typed', () => {
    expect(parseSize('500k', '--rotate-size')).toBe(500_000);
    expect(parseSize('100M', '--rotate-size')).toBe(100_000_000);
    expect(parseSize('2G', '--rotate-size')).toBe(2_000_000_000);
    expect(parseSize('4096', '--rotate-size')).toBe(4096);
    expect(() => parseSize('lots', '--rotate-size')).toThrow(/--rotate-size needs a size/);
    expect(parseCount('3', '--ring')).toBe(3);
    expect(() => parseCount('0', '--ring')).toThrow(/--ring needs a number/);
    expect(splitAllow(['10.0.0.1, 10.0.0.2', '192.0.2.0/24'])).toEqual(['10.0.0.1', '10.0.0.2', '192.0.2.0/24']);
  });
});
