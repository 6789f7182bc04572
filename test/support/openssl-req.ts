// The start of every `openssl req` the certificate tests make a CSR with: a new P-256 key, unencrypted, into `keyFile`.
export function newP256Request(keyFile: string): string[] {
  return ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile];
}
