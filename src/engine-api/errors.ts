/** The Engine API's errors, with the HTTP status each travels as (Docker's: 400, 404, 409, 500). */
import { TscomposeError } from '../common/errors';

export class EngineError extends TscomposeError {
  readonly status: number;

  constructor(
    status: number,
    message: string,
    opts: { code?: string; exitCode?: number; cause?: unknown } = {},
  ) {
    super(message, { code: opts.code ?? `HTTP_${status}`, exitCode: opts.exitCode ?? 1, cause: opts.cause });
    this.status = status;
  }
}

export class NotFoundError extends EngineError {
  constructor(message: string) {
    super(404, message, { code: 'NOT_FOUND' });
  }
}

export class ConflictError extends EngineError {
  constructor(message: string) {
    super(409, message, { code: 'CONFLICT' });
  }
}

export class BadRequestError extends EngineError {
  constructor(message: string) {
    super(400, message, { code: 'BAD_REQUEST' });
  }
}
