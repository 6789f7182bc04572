// Certificate defaults the contract's schema, the CLI and the view share, in a module without zod so the CLI
// (which skips the schema for speed) and the view can read them.

/** mkcert's .p12 password, printed whenever it is used. */
export const defaultP12Password = 'changeit';
