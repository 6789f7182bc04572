// Types for importing node-forge's ASN.1 module on its own (der.ts), which @types/node-forge only types as part of
// the whole 'node-forge'. fromDer also takes an options object, which those types leave out.
declare module 'node-forge/lib/asn1.js' {
  import type { asn1, util } from 'node-forge';

  interface FromDerOptions {
    /** Refuse values that run past their container (default true). */
    strict?: boolean;
    /** Refuse bytes left over after the record (default true). */
    parseAllBytes?: boolean;
    /** Try to parse a BIT STRING's content as ASN.1 (default true; forge's guess, wrong for keys and signatures). */
    decodeBitStrings?: boolean;
  }

  const api: Omit<typeof asn1, 'fromDer'> & {
    fromDer(bytes: string | util.ByteStringBuffer, options?: FromDerOptions): asn1.Asn1;
  };
  export = api;
}
