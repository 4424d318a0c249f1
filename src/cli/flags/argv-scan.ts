/**
 * An argv read by pflag's rules, as docker reads its own: `-dit` is three flags, `-e=X`, `-eX`
 * and `-e X` are one, `--rm=false` unsets, a value may start with `-`, `--` ends the flags, and
 * (unless interspersed) so does the first operand. Errors are pflag's words, docker's exit 125.
 */
import { flagLabel, type FlagSpec, type FlagTable, type FlagValues } from './flag-spec';
import { goBool } from '../format/go-format';
import { UsageError, invalidArgument } from './usage';

export interface FlagEvent {
  name: string;
  spec: FlagSpec;
  /** A boolean's value, or the text a value flag was given. */
  value: string | boolean;
  /** The value was part of the flag's own token (`--x=v`, `-xv`, `-x=v`), not the next one. */
  inline: boolean;
}

export interface Scan {
  events: FlagEvent[];
  operands: string[];
}

function lookups(table: FlagTable): { long: Map<string, string>; short: Map<string, string> } {
  const long = new Map<string, string>();
  const short = new Map<string, string>();
  for (const [name, spec] of Object.entries(table)) {
    for (const n of [name, ...(spec.aliases ?? [])]) long.set(n, name);
    if (spec.char) short.set(spec.char, name);
  }
  return { long, short };
}

function boolValue(table: FlagTable, name: string, v: string): boolean {
  const b = goBool(v);
  if (b === undefined)
    throw invalidArgument(v, flagLabel(table, name), `strconv.ParseBool: parsing "${v}": invalid syntax`);
  return b;
}

export function scanArgv(argv: string[], table: FlagTable, opts: { interspersed?: boolean } = {}): Scan {
  const { long, short } = lookups(table);
  const events: FlagEvent[] = [];
  const operands: string[] = [];
  let i = 0;
  const next = (what: string): string => {
    if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: ${what}`);
    i += 1;
    return argv[i];
  };
  const add = (name: string, value: string | boolean, inline: boolean) =>
    events.push({ name, spec: table[name], value, inline });

  for (; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--') return { events, operands: [...operands, ...argv.slice(i + 1)] };
    if (!arg.startsWith('-') || arg === '-') {
      if (!opts.interspersed) return { events, operands: argv.slice(i) };
      operands.push(arg);
      continue;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const given = arg.slice(2, eq < 0 ? undefined : eq);
      if (given === '' || given.startsWith('-')) throw new UsageError(`bad flag syntax: ${arg}`);
      const name = long.get(given);
      if (name === undefined) throw new UsageError(`unknown flag: --${given}`);
      const inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
      if (table[name].kind !== 'boolean') add(name, inline ?? next(`--${given}`), inline !== undefined);
      else add(name, inline === undefined || boolValue(table, name, inline), inline !== undefined);
      continue;
    }
    for (let j = 1; j < arg.length; j += 1) {
      const c = arg[j];
      const name = short.get(c);
      if (name === undefined) throw new UsageError(`unknown shorthand flag: '${c}' in ${arg}`);
      const rest = arg.slice(j + 1);
      if (table[name].kind === 'boolean') {
        // pflag: `-d=false` gives the boolean its value; otherwise the next letters are more flags.
        if (rest.length > 1 && rest[0] === '=') {
          add(name, boolValue(table, name, rest.slice(1)), true);
          break;
        }
        add(name, true, false);
        continue;
      }
      if (rest !== '') add(name, rest.replace(/^=/, ''), true);
      else add(name, next(`'${c}' in -${c}`), false);
      break;
    }
  }
  return { events, operands };
}

/** The values the flags end with: the last one of a single flag, all of a repeated one, in order. */
export function collectFlags<T extends FlagTable>(table: T, events: FlagEvent[]): FlagValues<T> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(table))
    if (spec.kind === 'string' && spec.default !== undefined) out[name] = spec.default;
  for (const { name, spec, value } of events) {
    if (spec.kind === 'list') out[name] = [...((out[name] as string[] | undefined) ?? []), value];
    else if (spec.kind === 'integer') out[name] = integer(table, name, value as string);
    else out[name] = value;
  }
  // A boolean set false is one never given: that is how oclif's parse reports it too.
  for (const [name, v] of Object.entries(out)) if (v === false) delete out[name];
  return out as FlagValues<T>;
}

function integer(table: FlagTable, name: string, v: string): number {
  if (!/^-?\d+$/.test(v))
    throw invalidArgument(v, flagLabel(table, name), `strconv.ParseInt: parsing "${v}": invalid syntax`);
  return Number.parseInt(v, 10);
}
