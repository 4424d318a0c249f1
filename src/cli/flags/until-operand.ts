/**
 * docker stops reading flags at the first operand: in `run -e A=1 busybox ls -l`, `-l` belongs
 * to the command, not to `--label`. oclif reads flags anywhere (and takes `--name -e` for a
 * missing value), so run, create, exec and top read their argv here, by pflag's rules
 * (argv-scan.ts), with the flags oclif knows them by. The wording of the errors is pflag's, the
 * exit code docker's 125.
 */
import type { Interfaces } from '@oclif/core';
import { collectFlags, scanArgv } from './argv-scan';
import type { FlagSpec, FlagTable } from './flag-spec';

interface FlagDef {
  type: 'boolean' | 'option';
  char?: string;
  aliases?: readonly string[];
  multiple?: boolean;
  default?: unknown;
}

/** oclif's flags as the scanner's table. Their values stay text: none of these commands has a number flag. */
function tableOf(flags: Record<string, FlagDef>): FlagTable {
  return Object.fromEntries(
    Object.entries(flags).map(([name, d]): [string, FlagSpec] => {
      const common = { char: d.char, aliases: d.aliases, description: '' };
      if (d.type === 'boolean') return [name, { kind: 'boolean', ...common }];
      if (d.multiple) return [name, { kind: 'list', ...common }];
      const fallback = typeof d.default === 'string' ? d.default : undefined;
      return [name, { kind: 'string', default: fallback, ...common }];
    }),
  );
}

/** Flags before the first operand, read as docker reads them; the operands as typed. */
export async function parseUntilOperand<F extends Interfaces.FlagInput>(
  argv: string[],
  flags: F,
): Promise<{ flags: Interfaces.InferredFlags<F>; operands: string[] }> {
  const table = tableOf(flags as unknown as Record<string, FlagDef>);
  const { events, operands } = scanArgv(argv, table);
  return { flags: collectFlags(table, events) as Interfaces.InferredFlags<F>, operands };
}
