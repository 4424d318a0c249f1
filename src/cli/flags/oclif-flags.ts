/**
 * oclif's flags made from a plain table (flag-spec.ts), for a command's help, its oclif parse
 * and the manifest. They are built when oclif first reads them: the modules that define them
 * (engine-client.ts) are also imported by the fast path, which must not pay
 * for loading oclif.
 */
import type { Interfaces } from '@oclif/core';
import type { FlagSpec, FlagTable } from './flag-spec';

type Char = Interfaces.AlphabetLowercase | Interfaces.AlphabetUppercase;

type OclifFlag<S> = S extends { kind: 'boolean' }
  ? Interfaces.BooleanFlag<boolean>
  : S extends { kind: 'list' }
    ? Interfaces.OptionFlag<string[] | undefined>
    : S extends { kind: 'integer' }
      ? Interfaces.OptionFlag<number | undefined>
      : S extends { default: string }
        ? Interfaces.OptionFlag<string>
        : Interfaces.OptionFlag<string | undefined>;

export type OclifFlags<T extends FlagTable> = { [K in keyof T]: OclifFlag<T[K]> };

function oclifFlag(spec: FlagSpec): unknown {
  const { Flags } = require('@oclif/core') as typeof import('@oclif/core');
  const common = {
    description: spec.description,
    char: spec.char as Char | undefined,
    aliases: spec.aliases ? [...spec.aliases] : undefined,
    helpGroup: spec.helpGroup,
  };
  switch (spec.kind) {
    case 'boolean':
      return Flags.boolean(common);
    case 'list':
      // Non-greedy: in `-e A=1 busybox`, `busybox` is an operand, not a second value.
      return Flags.string({ ...common, multiple: true, multipleNonGreedy: true });
    case 'integer':
      return Flags.integer(common);
    case 'string':
      return spec.default === undefined
        ? Flags.string(common)
        : Flags.string({ ...common, default: spec.default });
  }
}

export function oclifFlags<T extends FlagTable>(table: T): OclifFlags<T> {
  const flags = {} as Record<string, unknown>;
  // The first read of any flag turns every accessor into a plain property.
  const build = (): void => {
    for (const [name, spec] of Object.entries(table))
      Object.defineProperty(flags, name, {
        value: oclifFlag(spec),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  };
  for (const name of Object.keys(table))
    Object.defineProperty(flags, name, {
      enumerable: true,
      configurable: true,
      get: () => {
        build();
        return flags[name];
      },
      set: (value: unknown) => {
        build();
        flags[name] = value;
      },
    });
  return flags as OclifFlags<T>;
}
