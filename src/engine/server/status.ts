/**
 * The one place where an error's kind becomes an HTTP status (moby's `httpstatus.FromError`):
 * the core throws kinds and never speaks HTTP.
 */
import { kindOf, type ErrorKind } from '../../common/errors';

const STATUS: Record<ErrorKind, number> = {
  'invalid-argument': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  // docker answers 409 for an operation that needs a running container
  'not-running': 409,
  // nginx's "client closed request": nobody reads it, but the log says what happened
  cancelled: 499,
  system: 500,
  'not-implemented': 501,
  unavailable: 503,
};

export function statusOf(err: unknown): number {
  return STATUS[kindOf(err)];
}
