// The CA as trust stores need it: public certificate, fingerprints, and one stable nickname.
import { createHash } from 'node:crypto';
import type { LoadedCa } from './ca.ts';
import { safeLabel } from './safe-name.ts';
import type { TrustedRoot } from './trust/store.ts';

/** The organization's share of the name; with a serial of at most 20 octets (49 digits) the name stays under 128. */
const maxOrganization = 64;

/**
 * "<organization> <serial in decimal>": for an adopted mkcert root this is exactly mkcert's own nickname,
 * so roots mkcert installed are recognised, and mkcert -uninstall still finds roots Lanyard installed. The
 * organization is the CA's own text: reduced to a safe label, as it becomes a nickname, an alias and a file name.
 */
export function trustedRoot(ca: LoadedCa): TrustedRoot {
  const der = ca.certificate.der;
  const organization = ca.certificate.organization ?? 'Lanyard development CA';
  return {
    certFile: ca.root.certFile,
    certPem: ca.certPem,
    name: `${safeLabel(organization, maxOrganization)} ${BigInt(`0x${ca.certificate.serial}`).toString(10)}`,
    sha256: createHash('sha256').update(der).digest('hex').toUpperCase(),
    sha1: createHash('sha1').update(der).digest('hex').toUpperCase(),
    serialHex: ca.certificate.serial,
  };
}
