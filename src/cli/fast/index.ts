/**
 * The fast path: `--version` and the hot container commands (fast/commands.ts) served without
 * oclif, whose loading alone costs more than the rest of a `container run --rm` on our side.
 * Whatever it does not fully understand — help, an unknown or malformed flag, a form oclif
 * would read otherwise — it leaves to oclif, so answers and errors stay oclif's own.
 * TSCOMPOSE_NO_FAST_PATH=1 sends everything to oclif.
 */
import { collectFlags, scanArgv } from '../flags/argv-scan';
import type { FlagTable, FlagValues } from '../flags/flag-spec';
import { FAST_COMMANDS, type FastCommand, type Run } from './commands';
import { oclifReadsAlike } from './oclif-alike';

/** oclif shows help when -h or --help comes anywhere before `--`, even among a command's arguments. */
function asksForHelp(argv: string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
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
  command: FastCommand;
  flags: FlagValues<FlagTable>;
  operands: string[];
}

/** A hot command's argv read as its oclif command would read it; undefined where oclif must. */
export function fastParse(argv: string[]): FastParse | undefined {
  if (argv[0] !== 'container' || asksForHelp(argv)) return undefined;
  const command = Object.hasOwn(FAST_COMMANDS, argv[1]) ? FAST_COMMANDS[argv[1]] : undefined;
  if (!command) return undefined;
  try {
    const { events, operands } = scanArgv(argv.slice(2), command.flags, {
      interspersed: !command.untilOperand,
    });
    if (!command.untilOperand && !oclifReadsAlike(argv.slice(2), events, operands)) return undefined;
    return { command, flags: collectFlags(command.flags, events), operands };
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
  return parsed?.command.plan(parsed.flags, parsed.operands);
}
