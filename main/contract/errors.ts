import type { ErrorCode, WireError } from './wire.ts';

/** An error a service raises on purpose: its message is shown to the user as is. */
export class ServiceError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: { field?: string; hint?: string } = {}) {
    super(message);
    this.name = 'ServiceError';
    this.code = code;
    this.field = options.field;
    this.hint = options.hint;
  }

  toWire(): WireError {
    const wire: WireError = { code: this.code, message: this.message };
    if (this.field !== undefined) wire.field = this.field;
    if (this.hint !== undefined) wire.hint = this.hint;
    return wire;
  }

  static fromWire(wire: WireError): ServiceError {
    const options: { field?: string; hint?: string } = {};
    if (wire.field !== undefined) options.field = wire.field;
    if (wire.hint !== undefined) options.hint = wire.hint;
    return new ServiceError(wire.code, wire.message, options);
  }
}
