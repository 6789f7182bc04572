// PKCS#12 files that OpenSSL 3 (no -legacy), Node's tls and Java's keytool all open: the key shrouded with
// PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) by Node's native crypto, certificates in plain bags, and an
// HMAC-SHA256 integrity MAC. node-forge supplies the ASN.1 encoder (through der.ts) and the PKCS#12 MAC key
// derivation; its own toPkcs12Asn1 only knows RSA keys and forge certificates, so the structure is assembled here.
import { createHash, createHmac, randomBytes, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import * as der from './der.ts';

const oids = {
  data: '1.2.840.113549.1.7.1',
  certBag: '1.2.840.113549.1.12.10.1.3',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  sha256: '2.16.840.1.101.3.4.2.1',
};
/** OpenSSL 3's default for both the key's PBKDF2 and the MAC. */
const iterations = 2048;

const explicit0 = (inner: der.Node) => der.constructed(der.contextTag(0, true), inner);

function attributes(friendlyName: string, localKeyId: Buffer): der.Node {
  return der.set(
    der.sequence(der.objectId(oids.friendlyName), der.set(der.bmpString(friendlyName))),
    der.sequence(der.objectId(oids.localKeyId), der.set(der.octetString(localKeyId))),
  );
}

function dataContentInfo(safeBags: der.Node[]): der.Node {
  return der.sequence(der.objectId(oids.data), explicit0(der.octetString(der.encode(der.sequence(...safeBags)))));
}

function certBag(certDer: Uint8Array, attrs?: der.Node): der.Node {
  const bag = der.sequence(der.objectId(oids.x509Certificate), explicit0(der.octetString(certDer)));
  return der.sequence(der.objectId(oids.certBag), explicit0(bag), ...(attrs ? [attrs] : []));
}

export interface Pkcs12Input {
  key: KeyObject;
  /** The leaf first, then the chain (the CA). */
  certificates: Uint8Array[];
  password: string;
  friendlyName: string;
}

export function buildPkcs12(input: Pkcs12Input): Buffer {
  const leaf = input.certificates[0]!;
  const attrs = attributes(input.friendlyName, createHash('sha1').update(leaf).digest());
  const shrouded = input.key.export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: input.password });
  const keyBag = der.sequence(der.objectId(oids.shroudedKeyBag), explicit0(der.decode(shrouded)), attrs);
  const authSafe = der.encode(
    der.sequence(dataContentInfo(input.certificates.map((c, i) => certBag(c, i === 0 ? attrs : undefined))), dataContentInfo([keyBag])),
  );

  const salt = randomBytes(16);
  const macKey = forge.pkcs12
    .generateKey(input.password, forge.util.createBuffer(salt.toString('latin1')), 3, iterations, 32, forge.md.sha256.create())
    .getBytes();
  const mac = createHmac('sha256', Buffer.from(macKey, 'latin1')).update(authSafe).digest();
  const macData = der.sequence(
    der.sequence(der.sequence(der.objectId(oids.sha256), der.nullValue()), der.octetString(mac)),
    der.octetString(salt),
    der.integer(iterations),
  );

  return der.encode(der.sequence(der.integer(3), der.sequence(der.objectId(oids.data), explicit0(der.octetString(authSafe))), macData));
}
