/**
 * `container inspect` and `image inspect`: any number of objects, docker's JSON or a template of
 * each. A subclass says how to fetch one.
 */
import { Args, Command, Flags, type Interfaces } from '@oclif/core';
import type { EngineApi } from '../engine/api/engine-api';
import { engineFlags, openEngine } from './engine-client';
import { inspectEach } from './inspect-each';
import { requireOperands } from './usage';

export abstract class InspectCommand extends Command {
  static override args: Interfaces.ArgInput = {
    container: Args.string({ description: 'Container name or id (one or more)' }),
  };

  // Any number of objects.
  static override strict = false;
  static override baseFlags = engineFlags;
  static override flags = {
    format: Flags.string({
      char: 'f',
      description:
        "Format output: 'json' (one line) or a Go template such as '{{.State.Status}}' or '{{json .Config}}'",
    }),
  };

  protected abstract fetch(engine: EngineApi, ref: string): Promise<unknown>;

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(this.constructor as typeof InspectCommand);
    requireOperands(this.id?.replace(/:/g, ' ') ?? '', argv as string[], 1);
    const engine = await openEngine(flags);
    await inspectEach(argv as string[], (ref) => this.fetch(engine, ref), flags.format as string | undefined);
  }
}
