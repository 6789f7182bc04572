// A small ACME client for protocol tests: signs flattened JWS with node:crypto (ES256 or RS256) and lets a test
// misbehave on purpose (replay a nonce, sign the wrong url, answer a challenge wrongly).
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { Agent, request } from 'node:https';

export interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: Record<string, unknown>;
}

export function newAccountKey(alg: 'ES256' | 'RS256' = 'ES256'): { alg: 'ES256' | 'RS256'; privateKey: KeyObject; publicKey: KeyObject } {
  const pair = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { alg, ...pair };
}

export function jwkThumbprint(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  const members = jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

export function signJws(
  key: { alg: 'ES256' | 'RS256'; privateKey: KeyObject; publicKey: KeyObject },
  header: Record<string, unknown>,
  payload: unknown,
): string {
  const protectedText = Buffer.from(JSON.stringify({ alg: key.alg, ...header })).toString('base64url');
  const payloadText = payload === '' ? '' : Buffer.from(JSON.stringify(payload)).toString('base64url');
  const input = Buffer.from(`${protectedText}.${payloadText}`);
  const signature =
    key.alg === 'ES256' ? sign('sha256', input, { key: key.privateKey, dsaEncoding: 'ieee-p1363' }) : sign('sha256', input, key.privateKey);
  return JSON.stringify({ protected: protectedText, payload: payloadText, signature: signature.toString('base64url') });
}

export class TestAcmeClient {
  readonly ca: string;
  readonly directoryUrl: string;
  readonly agent: Agent;
  directory: Record<string, string> = {};
  nonce = '';
  kid = '';
  key = newAccountKey();

  constructor(directoryUrl: string, caPem: string) {
    this.directoryUrl = directoryUrl;
    this.ca = caPem;
    this.agent = new Agent({ ca: caPem, keepAlive: false });
  }

  raw(method: string, url: string, body?: string, contentType = 'application/jose+json'): Promise<Response> {
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          agent: this.agent,
          headers: body === undefined ? {} : { 'content-type': contentType, 'user-agent': 'lanyard-test-client' },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const nonce = res.headers['replay-nonce'];
            if (typeof nonce === 'string') this.nonce = nonce;
            let json: Record<string, unknown> = {};
            try {
              json = JSON.parse(text) as Record<string, unknown>;
            } catch {
              // a PEM chain or an empty body
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  async start(): Promise<void> {
    this.directory = (await this.raw('GET', this.directoryUrl)).json as Record<string, string>;
    await this.raw('HEAD', this.directory.newNonce!);
  }

  /** A signed POST; `header` overrides what is sent (nonce, url, kid/jwk) so tests can break each rule. */
  post(url: string, payload: unknown, header: Record<string, unknown> = {}): Promise<Response> {
    const base = this.kid ? { kid: this.kid } : { jwk: this.key.publicKey.export({ format: 'jwk' }) };
    return this.raw('POST', url, signJws(this.key, { nonce: this.nonce, url, ...base, ...header }, payload));
  }

  async register(): Promise<Response> {
    const response = await this.post(this.directory.newAccount!, { termsOfServiceAgreed: true, contact: ['mailto:dev@app.test'] });
    this.kid = String(response.headers.location ?? '');
    return response;
  }

  keyAuthorization(token: string): string {
    return `${token}.${jwkThumbprint(this.key.publicKey)}`;
  }
}
