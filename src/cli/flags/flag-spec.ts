/**
 * Flags as plain data: the one definition both the oclif commands (help, manifest; see
 * oclif-flags.ts) and the fast path (fast/, which must not load oclif) read.
 */
interface Common {
  description: string;
  char?: string;
  aliases?: readonly string[];
  helpGroup?: string;
}

export interface BoolSpec extends Common {
  kind: 'boolean';
}
export interface StringSpec extends Common {
  kind: 'string';
  default?: string;
}
/** Repeatable: every value is kept, in order. */
export interface ListSpec extends Common {
  kind: 'list';
}
export interface IntSpec extends Common {
  kind: 'integer';
}

export type FlagSpec = BoolSpec | StringSpec | ListSpec | IntSpec;
export type FlagTable = Readonly<Record<string, FlagSpec>>;

type Extra = Omit<Common, 'description'>;

export const bool = (description: string, extra: Extra = {}): BoolSpec => ({
  kind: 'boolean',
  description,
  ...extra,
});
export const str = <E extends Extra & { default?: string }>(
  description: string,
  extra?: E,
): StringSpec & E => ({ kind: 'string', description, ...(extra as E) });
export const list = (description: string, extra: Extra = {}): ListSpec => ({
  kind: 'list',
  description,
  ...extra,
});
export const int = (description: string, extra: Extra = {}): IntSpec => ({
  kind: 'integer',
  description,
  ...extra,
});

type ValueOf<S> = S extends BoolSpec
  ? boolean
  : S extends ListSpec
    ? string[]
    : S extends IntSpec
      ? number
      : string;

type WithDefault<T> = { [K in keyof T]: T[K] extends { default: string } ? K : never }[keyof T];

/** What a parse yields: a flag not given is absent, unless it has a default. */
export type FlagValues<T extends FlagTable> = { [K in Exclude<keyof T, WithDefault<T>>]?: ValueOf<T[K]> } & {
  [K in WithDefault<T>]: string;
};

/** pflag's name for a flag in its messages: `-m, --memory` or `--cpus`. */
export function flagLabel(table: FlagTable, name: string): string {
  const char = table[name]?.char;
  return char ? `-${char}, --${name}` : `--${name}`;
}
