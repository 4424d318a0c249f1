/**
 * What kind of failure an error is, whatever layer threw it (moby's errdefs): the engine's
 * server maps each kind to an HTTP status in one place, and the client maps statuses back, so
 * the core never speaks HTTP and a caller on either side of the socket tests the same class.
 * An error without a kind is a failure of the system (500).
 */
export type ErrorKind =
  | 'invalid-argument'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'not-running'
  | 'cancelled'
  | 'not-implemented'
  | 'unavailable'
  | 'system';

export interface ErrorOptions {
  code?: string;
  exitCode?: number;
  hint?: string;
  cause?: unknown;
  kind?: ErrorKind;
}

/**
 * Errors are classes, not strings: each carries a code, the process exit code the CLI should
 * use, an optional hint, the cause and its kind, so every layer can wrap with context and the
 * CLI prints one line.
 */
export class TscomposeError extends Error {
  readonly code: string;
  readonly exitCode: number;
  readonly hint?: string;
  readonly kind: ErrorKind;

  constructor(message: string, opts: ErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = opts.code ?? 'ERROR';
    this.exitCode = opts.exitCode ?? 1;
    this.hint = opts.hint;
    this.kind = opts.kind ?? 'system';
  }
}

type KindOptions = Omit<ErrorOptions, 'kind'>;

/** The request or its input is at fault (docker's InvalidParameter: 400). */
export class InvalidArgumentError extends TscomposeError {
  constructor(message: string, opts: KindOptions = {}) {
    super(message, { code: 'INVALID_ARGUMENT', ...opts, kind: 'invalid-argument' });
  }
}

/** No such container, image, exec, ... (404). */
export class NotFoundError extends TscomposeError {
  constructor(message: string, opts: KindOptions = {}) {
    super(message, { code: 'NOT_FOUND', ...opts, kind: 'not-found' });
  }
}

/** The object's state or a name taken forbids the operation (409). */
export class ConflictError extends TscomposeError {
  constructor(message: string, opts: KindOptions = {}, kind: 'conflict' | 'not-running' = 'conflict') {
    super(message, { code: kind === 'conflict' ? 'CONFLICT' : 'NOT_RUNNING', ...opts, kind });
  }
}

/**
 * A container that must run does not: a conflict of its state (docker answers 409), kept as a
 * kind of its own so the core can say which conflict it is.
 */
export class NotRunningError extends ConflictError {
  constructor(message: string, opts: KindOptions = {}) {
    super(message, opts, 'not-running');
  }
}

/** The caller went away or gave up (docker's 499-like cancellation). */
export class CancelledError extends TscomposeError {
  constructor(message: string, opts: KindOptions = {}) {
    super(message, { code: 'CANCELLED', ...opts, kind: 'cancelled' });
  }
}

/** A feature the engine does not have (501). */
export class NotImplementedError extends TscomposeError {
  constructor(message: string, opts: KindOptions = {}) {
    super(message, { code: 'NOT_IMPLEMENTED', ...opts, kind: 'not-implemented' });
  }
}

/** Credentials missing or refused (401). */
export class UnauthorizedError extends TscomposeError {
  constructor(message: string, opts: KindOptions = {}) {
    super(message, { code: 'UNAUTHORIZED', ...opts, kind: 'unauthorized' });
  }
}

/** Allowed to no one, whoever asks (403). */
export class ForbiddenError extends TscomposeError {
  constructor(message: string, opts: KindOptions = {}) {
    super(message, { code: 'FORBIDDEN', ...opts, kind: 'forbidden' });
  }
}

/** Something the engine needs cannot be reached now (503). */
export class UnavailableError extends TscomposeError {
  constructor(message: string, opts: KindOptions = {}) {
    super(message, { code: 'UNAVAILABLE', ...opts, kind: 'unavailable' });
  }
}

/** The kind of any thrown value: anything but our own errors is a failure of the system. */
export function kindOf(err: unknown): ErrorKind {
  return err instanceof TscomposeError ? err.kind : 'system';
}

/** Bad user input that can be pinned to a place in a file: prints as `file:line:col: message`. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

export class ComposeError extends TscomposeError {
  readonly location?: SourceLocation;
  readonly detail: string;

  /** Exit codes as docker compose's: 14 for a missing file, 15 for a file it cannot accept. */
  constructor(
    detail: string,
    location?: SourceLocation,
    opts: { code?: string; cause?: unknown; exitCode?: number } = {},
  ) {
    super(location ? `${location.file}:${location.line}:${location.col}: ${detail}` : detail, {
      code: opts.code ?? 'COMPOSE_INVALID',
      exitCode: opts.exitCode ?? 15,
      cause: opts.cause,
    });
    this.location = location;
    this.detail = detail;
  }
}
