/**
 * `container inspect` and `image inspect`: any number of objects, docker's JSON or a template of
 * each. A subclass says how to fetch one.
 */
import { Flags } from '@oclif/core';
import type { EngineApi } from '../engine/api/engine-api';
import { inspectEach } from './inspect-each';
import { OperandsCommand } from './targets-command';

export abstract class InspectCommand extends OperandsCommand {
  static override flags = {
    format: Flags.string({
      char: 'f',
      description:
        "Format output: 'json' (one line) or a Go template such as '{{.State.Status}}' or '{{json .Config}}'",
    }),
  };

  protected abstract fetch(engine: EngineApi, ref: string): Promise<unknown>;

  async run(): Promise<void> {
    const { targets, flags, engine } = await this.prepare();
    await inspectEach(targets, (ref) => this.fetch(engine, ref), flags.format as string | undefined);
  }
}
