/**
 * Errors are classes, not strings: each carries a code, the process exit code the CLI should
 * use, an optional hint and the cause, so every layer can wrap with context and the CLI prints
 * one line.
 */
export class TscomposeError extends Error {
  readonly code: string;
  readonly exitCode: number;
  readonly hint?: string;

  constructor(
    message: string,
    opts: { code?: string; exitCode?: number; hint?: string; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = opts.code ?? 'ERROR';
    this.exitCode = opts.exitCode ?? 1;
    this.hint = opts.hint;
  }
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
