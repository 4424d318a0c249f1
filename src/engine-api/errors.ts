/**
 * The client's half of the error mapping: a status the daemon answered becomes the error kind
 * the engine threw (the server's `status.ts` is the other half), worded as docker prints it.
 */
import {
  ConflictError,
  ForbiddenError,
  InvalidArgumentError,
  NotFoundError,
  NotImplementedError,
  TscomposeError,
  UnauthorizedError,
  UnavailableError,
} from '../common/errors';

/** What docker's CLI puts before every message the daemon answered. */
export const DAEMON = 'Error response from daemon: ';

const BY_STATUS: Record<number, new (message: string) => TscomposeError> = {
  400: InvalidArgumentError,
  401: UnauthorizedError,
  403: ForbiddenError,
  404: NotFoundError,
  409: ConflictError,
  501: NotImplementedError,
  503: UnavailableError,
};

/** `message` as the daemon said it; the result reads `Error response from daemon: …`. */
export function errorFromStatus(status: number, message: string, code?: string): TscomposeError {
  const full = message.startsWith(DAEMON) ? message : DAEMON + message;
  const Kind = BY_STATUS[status];
  return Kind ? new Kind(full) : new TscomposeError(full, { code: code ?? `HTTP_${status}` });
}

/** An error the daemon answered (any status), as opposed to one on this side of the socket. */
export function isDaemonError(err: unknown): err is TscomposeError {
  return err instanceof TscomposeError && err.message.startsWith(DAEMON);
}
