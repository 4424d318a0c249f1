/**
 * docker stops reading flags at the first operand: in `run -e A=1 busybox ls -l`, `-l` belongs
 * to the command, not to `--label`. oclif reads flags anywhere, so the argv is cut here — knowing
 * which flags take a value — and only the part before the operands is given to oclif's parser.
 * The wording of the errors is pflag's, the exit code docker's 125.
 */
import { Interfaces, Parser } from '@oclif/core';
import { goBool } from './go-format';
import { UsageError, invalidArgument } from './usage';

interface FlagDef {
  type: 'boolean' | 'option';
  char?: string;
  aliases?: readonly string[];
  multiple?: boolean;
}

export interface SplitArgv {
  flagArgv: string[];
  operands: string[];
}

export function splitAtOperand(argv: string[], defs: Record<string, FlagDef>): SplitArgv {
  const long = new Map<string, FlagDef>();
  const short = new Map<string, FlagDef>();
  for (const [name, def] of Object.entries(defs)) {
    for (const n of [name, ...(def.aliases ?? [])]) long.set(n, def);
    if (def.char) short.set(def.char, def);
  }
  const flagArgv: string[] = [];
  let i = 0;
  const next = (what: string): string => {
    if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: ${what}`);
    i += 1;
    return argv[i];
  };
  // pflag lets a later value of a single-valued flag replace an earlier one; oclif refuses it.
  const last = new Map<FlagDef, string[]>();
  const push = (def: FlagDef, ...tokens: string[]): void => {
    const earlier = last.get(def);
    if (earlier && def.type === 'option' && !def.multiple) flagArgv.splice(flagArgv.indexOf(earlier[0]), 2);
    last.set(def, tokens);
    flagArgv.push(...tokens);
  };
  for (; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--') return { flagArgv, operands: argv.slice(i + 1) };
    if (!arg.startsWith('-') || arg === '-') break;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const def = long.get(name);
      if (!def) throw new UsageError(`unknown flag: --${name}`);
      if (def.type === 'option') push(def, `--${name}`, eq < 0 ? next(`--${name}`) : arg.slice(eq + 1));
      else if (eq < 0 || booleanValue(arg.slice(eq + 1), `--${name}`)) push(def, `--${name}`);
      continue;
    }
    for (let j = 1; j < arg.length; j += 1) {
      const c = arg[j];
      const def = short.get(c);
      if (!def) throw new UsageError(`unknown shorthand flag: '${c}' in ${arg}`);
      if (def.type === 'boolean') {
        push(def, `-${c}`);
        continue;
      }
      const attached = arg.slice(j + 1).replace(/^=/, '');
      push(def, `-${c}`, j + 1 < arg.length ? attached : next(`'${c}' in -${c}`));
      break;
    }
  }
  return { flagArgv, operands: argv.slice(i) };
}

function booleanValue(v: string, flag: string): boolean {
  const b = goBool(v);
  if (b === undefined) throw invalidArgument(v, flag, `strconv.ParseBool: parsing "${v}": invalid syntax`);
  return b;
}

/** Flags before the first operand, parsed by oclif; the operands as typed. */
export async function parseUntilOperand<F extends Interfaces.FlagInput>(
  argv: string[],
  flags: F,
): Promise<{ flags: Interfaces.InferredFlags<F>; operands: string[] }> {
  const { flagArgv, operands } = splitAtOperand(argv, flags as unknown as Record<string, FlagDef>);
  try {
    const parsed = await Parser.parse(flagArgv, { flags, args: {}, strict: true });
    return { flags: parsed.flags as Interfaces.InferredFlags<F>, operands };
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]);
  }
}
