/**
 * docker stops reading flags at the first operand: in `run -e A=1 busybox ls -l`, `-l` belongs
 * to the command, not to `--label`. oclif reads flags anywhere (and takes `--name -e` for a
 * missing value), so run, create, exec and top read their argv here, by pflag's rules
 * (argv-scan.ts), with their flag tables. The wording of the errors is pflag's, the exit code
 * docker's 125.
 */
import { collectFlags, scanArgv } from './argv-scan';
import type { FlagTable, FlagValues } from './flag-spec';

/** Flags before the first operand, read as docker reads them; the operands as typed. */
export function readUntilOperand<T extends FlagTable>(
  argv: string[],
  table: T,
): { flags: FlagValues<T>; operands: string[] } {
  const { events, operands } = scanArgv(argv, table);
  return { flags: collectFlags(table, events), operands };
}
