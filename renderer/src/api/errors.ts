import type { ErrorCode } from '../../../main/contract/wire.ts';

/** A title a person understands for each kind of service error. */
export const errorTitle: Record<ErrorCode, string> = {
  'invalid-argument': 'That request was not valid',
  'unknown-method': 'Lanyard’s parts are out of step',
  'not-found': 'Not found',
  unavailable: 'Lanyard’s services are not reachable',
  failed: 'That did not work',
  cancelled: 'Cancelled',
  internal: 'Something went wrong inside Lanyard',
};
