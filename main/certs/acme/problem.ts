// ACME problem documents (RFC 8555 §6.7, RFC 7807): the error a client reads, typed and with a detail that says why.

export type ProblemType =
  | 'accountDoesNotExist'
  | 'alreadyRevoked'
  | 'badCSR'
  | 'badNonce'
  | 'badPublicKey'
  | 'badRevocationReason'
  | 'badSignatureAlgorithm'
  | 'connection'
  | 'dns'
  | 'incorrectResponse'
  | 'invalidContact'
  | 'malformed'
  | 'orderNotReady'
  | 'rateLimited'
  | 'rejectedIdentifier'
  | 'serverInternal'
  | 'tls'
  | 'unauthorized'
  | 'unsupportedIdentifier';

export interface ProblemDocument {
  type: string;
  detail: string;
  status?: number;
}

const statusOf: Partial<Record<ProblemType, number>> = {
  accountDoesNotExist: 400,
  unauthorized: 403,
  rateLimited: 429,
  serverInternal: 500,
  orderNotReady: 403,
};

export class AcmeProblem extends Error {
  readonly type: ProblemType;
  readonly status: number;
  /** Extra response headers (Retry-After for rateLimited, Location for an existing key). */
  readonly headers: Record<string, string>;

  constructor(type: ProblemType, detail: string, options: { status?: number; headers?: Record<string, string> } = {}) {
    super(detail);
    this.type = type;
    this.status = options.status ?? statusOf[type] ?? 400;
    this.headers = options.headers ?? {};
  }

  document(): ProblemDocument {
    return { type: `urn:ietf:params:acme:error:${this.type}`, detail: this.message, status: this.status };
  }
}

/** A stored challenge or order error, in the form the wire carries. */
export function problemOf(type: ProblemType, detail: string): ProblemDocument {
  return new AcmeProblem(type, detail).document();
}
