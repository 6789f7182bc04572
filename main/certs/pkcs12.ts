// PKCS#12 files that OpenSSL 3 (no -legacy), Node's tls and Java's keytool all open: the key shrouded with
// PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) by Node's native crypto, certificates in plain bags, and an
// HMAC-SHA256 integrity MAC. node-forge supplies the ASN.1 encoder and the PKCS#12 MAC key derivation;
// its own toPkcs12Asn1 only knows RSA keys and forge certificates, so the structure is assembled here.
import { createHash, createHmac, randomBytes, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

const { asn1 } = forge;
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

const bytes = (b: Uint8Array) => forge.util.binary.raw.encode(b);
const seq = (items: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
const set = (items: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, items);
const oid = (value: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(value).getBytes());
const octets = (raw: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, raw);
const explicit0 = (inner: forge.asn1.Asn1) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [inner]);
const integer = (n: number) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes());
const der = (node: forge.asn1.Asn1) => asn1.toDer(node).getBytes();

function attributes(friendlyName: string, localKeyId: string): forge.asn1.Asn1 {
  return set([
    seq([oid(oids.friendlyName), set([asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BMPSTRING, false, friendlyName)])]),
    seq([oid(oids.localKeyId), set([octets(localKeyId)])]),
  ]);
}

function dataContentInfo(safeBags: forge.asn1.Asn1[]): forge.asn1.Asn1 {
  return seq([oid(oids.data), explicit0(octets(der(seq(safeBags))))]);
}

function certBag(certDer: Uint8Array, attrs?: forge.asn1.Asn1): forge.asn1.Asn1 {
  const bag = seq([oid(oids.x509Certificate), explicit0(octets(bytes(certDer)))]);
  return seq([oid(oids.certBag), explicit0(bag), ...(attrs ? [attrs] : [])]);
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
  const localKeyId = bytes(createHash('sha1').update(leaf).digest());
  const attrs = attributes(input.friendlyName, localKeyId);
  const shrouded = input.key.export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: input.password });
  const keyBag = seq([oid(oids.shroudedKeyBag), explicit0(asn1.fromDer(bytes(shrouded))), attrs]);
  const authSafe = der(seq([dataContentInfo(input.certificates.map((c, i) => certBag(c, i === 0 ? attrs : undefined))), dataContentInfo([keyBag])]));

  const salt = randomBytes(16);
  const macKey = forge.pkcs12.generateKey(input.password, forge.util.createBuffer(bytes(salt)), 3, iterations, 32, forge.md.sha256.create()).getBytes();
  const mac = createHmac('sha256', Buffer.from(macKey, 'binary')).update(Buffer.from(authSafe, 'binary')).digest();
  const macData = seq([seq([seq([oid(oids.sha256), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')]), octets(bytes(mac))]), octets(bytes(salt)), integer(iterations)]);

  const pfx = seq([integer(3), seq([oid(oids.data), explicit0(octets(authSafe))]), macData]);
  return Buffer.from(der(pfx), 'binary');
}
