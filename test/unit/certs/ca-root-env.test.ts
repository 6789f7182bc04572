import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mkcertCaRoot, resolveCaRoot } from '../../../main/certs/ca-root.ts';
import { envLines, writeCaBundle } from '../../../main/certs/env-lines.ts';
import { tempDir } from '../../support/temp-dir.ts';

describe('CA folder resolution', () => {
  it('$CAROOT wins, then an adopted folder, then $LANYARD_HOME/ca; file names are mkcert’s', () => {
    expect(resolveCaRoot({ CAROOT: '/r' }, '/data', '/adopted')).toMatchObject({
      dir: '/r',
      source: 'CAROOT',
      certFile: '/r/rootCA.pem',
      keyFile: '/r/rootCA-key.pem',
    });
    expect(resolveCaRoot({ CAROOT: '' }, '/data', '/adopted')).toMatchObject({ dir: '/adopted', source: 'adopted' });
    expect(resolveCaRoot({}, '/data', null)).toMatchObject({ dir: '/data/ca', source: 'lanyard' });
  });

  it("finds mkcert's own CAROOT as mkcert does on each platform", () => {
    expect(mkcertCaRoot({ CAROOT: '/x' }, 'linux', '/home/u')).toBe('/x');
    expect(mkcertCaRoot({ XDG_DATA_HOME: '/xdg' }, 'linux', '/home/u')).toBe('/xdg/mkcert');
    expect(mkcertCaRoot({}, 'linux', '/home/u')).toBe('/home/u/.local/share/mkcert');
    expect(mkcertCaRoot({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/mkcert');
    expect(mkcertCaRoot({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', 'C:\\Users\\u')).toBe(
      'C:\\Users\\u\\AppData\\Local\\mkcert',
    );
  });
});

describe('lines for runtimes that ignore the OS store', () => {
  it('points Node at the root and requests/OpenSSL at a bundle that keeps the system roots', () => {
    const dir = tempDir();
    const root = '-----BEGIN CERTIFICATE-----\nROOT\n-----END CERTIFICATE-----\n';
    const bundle = writeCaBundle(dir, root);
    expect(bundle).toBe(path.join(dir, 'ca-bundle.pem'));
    const text = readFileSync(bundle, 'utf8');
    expect(text.endsWith(root)).toBe(true);
    if (existsSync('/etc/ssl/certs/ca-certificates.crt'))
      expect(text.startsWith(readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8').trimEnd())).toBe(true);
    expect(envLines('/ca dir/rootCA.pem', bundle, 'linux')).toEqual([
      `export NODE_EXTRA_CA_CERTS='/ca dir/rootCA.pem'`,
      `export REQUESTS_CA_BUNDLE=${bundle}`,
      `export SSL_CERT_FILE=${bundle}`,
    ]);
    expect(envLines("C:\\it's\\rootCA.pem", 'C:\\b.pem', 'win32')[0]).toBe("$env:NODE_EXTRA_CA_CERTS = 'C:\\it''s\\rootCA.pem'");
  });
});
