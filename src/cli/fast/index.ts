/**
 * The fast path: `--version`, the hot container commands (container/commands/) and the hot
 * compose verbs (compose/commands/) served without oclif, whose loading alone costs more than
 * the rest of a `container run --rm` on our side.
 * It reads a hot command's argv with the command's own descriptor — the one its oclif class is
 * made of — and runs it. Whatever it does not fully understand — help, an unknown or malformed
 * flag, a form oclif would read otherwise, operands oclif would refuse — it leaves to oclif, so
 * answers and errors stay oclif's own. TSCOMPOSE_NO_FAST_PATH=1 sends everything to oclif.
 */
import type { CommandDescriptor } from '../command-descriptor';
import { collectFlags, scanArgv } from '../flags/argv-scan';
import { engineFlagTable } from '../flags/engine-flags';
import type { FlagTable, FlagValues } from '../flags/flag-spec';
import { oclifReadsAlike } from './oclif-alike';

/** What a served command ends with: its exit code. */
export type Run = () => Promise<number>;

/**
 * The hot command this argv calls and the argv after its words, its module loaded: a compose
 * verb is one word (`ps`), a container command two (`container ls`); undefined for any other.
 */
function hotCommand(argv: string[]): { command: CommandDescriptor; rest: string[] } | undefined {
  const { COMPOSE_HOT_COMMANDS } = require('../compose/commands') as typeof import('../compose/commands');
  if (Object.hasOwn(COMPOSE_HOT_COMMANDS, argv[0]))
    return { command: COMPOSE_HOT_COMMANDS[argv[0]](), rest: argv.slice(1) };
  if (argv.length < 2) return undefined;
  const { HOT_COMMANDS } = require('../container/commands') as typeof import('../container/commands');
  const words = `${argv[0]} ${argv[1]}`;
  return Object.hasOwn(HOT_COMMANDS, words)
    ? { command: HOT_COMMANDS[words](), rest: argv.slice(2) }
    : undefined;
}

/** oclif shows help when -h or --help comes anywhere before `--`, even among a command's arguments. */
function asksForHelp(argv: string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/** Operands oclif takes as they are (it refuses an operand for `ls`, none or two for `logs`). */
function oclifTakes(d: CommandDescriptor, operands: string[]): boolean {
  const { count } = d.operands;
  return count === 'any' || operands.length === (count === 'one' ? 1 : 0);
}

function version(): Run | undefined {
  const { userAgent } = require('./version') as typeof import('./version');
  const line = userAgent();
  if (line === undefined) return undefined;
  return async () => {
    process.stdout.write(`${line}\n`);
    return 0;
  };
}

export interface FastParse {
  command: CommandDescriptor;
  flags: FlagValues<FlagTable>;
  operands: string[];
}

/** A hot command's argv read as its oclif command would read it; undefined where oclif must. */
export function fastParse(argv: string[]): FastParse | undefined {
  if (argv.length < 1 || asksForHelp(argv)) return undefined;
  const hot = hotCommand(argv);
  if (!hot) return undefined;
  const { command, rest } = hot;
  const table = { ...engineFlagTable, ...command.flags };
  try {
    const { events, operands } = scanArgv(rest, table, { interspersed: !command.untilOperand });
    if (!command.untilOperand && !oclifReadsAlike(rest, events, operands)) return undefined;
    if (!oclifTakes(command, operands)) return undefined;
    return { command, flags: collectFlags(table, events), operands };
  } catch {
    // A flag error is reported by oclif's path, in its words.
    return undefined;
  }
}

/** What serves this argv (global flags already moved behind the command), or undefined for oclif. */
export function fastCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Run | undefined {
  if (env.TSCOMPOSE_NO_FAST_PATH) return undefined;
  if (argv[0] === '--version') return version();
  const parsed = fastParse(argv);
  if (!parsed) return undefined;
  return () => parsed.command.run(parsed.flags as never, parsed.operands);
}
