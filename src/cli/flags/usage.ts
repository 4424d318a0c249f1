/** docker exits 125 when it refuses its own arguments, before anything reaches the daemon. */
import { TscomposeError } from '../../common/errors';

export class UsageError extends TscomposeError {
  constructor(message: string) {
    super(message, { code: 'USAGE', exitCode: 125 });
  }
}

/** pflag's wording for a value a flag cannot take. */
export function invalidArgument(value: string, label: string, why: string): UsageError {
  return new UsageError(`invalid argument "${value}" for "${label}" flag: ${why}`);
}

/** Too few operands: docker's wording, and its exit code 1 (only flag errors are 125). */
export function requireOperands(command: string, operands: string[], min: number): void {
  if (operands.length < min)
    throw new TscomposeError(
      `'tscompose ${command}' requires at least ${min} argument${min === 1 ? '' : 's'}`,
      {
        code: 'USAGE',
      },
    );
}
