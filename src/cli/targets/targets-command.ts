/**
 * The shape of `start`, `stop`, `rm`, `wait`, `inspect`, `image rm`…: one or more containers (or
 * images) named as operands. TargetsCommand acts on each in turn, docker's way (see
 * forEachTarget); a subclass says what to do to one.
 */
import { Args, Command, type Interfaces } from '@oclif/core';
import type { EngineApi } from '../../engine-api/engine-api';
import { engineFlags, engineForTargets, forEachTarget } from '../engine-client';

export abstract class OperandsCommand extends Command {
  static override args: Interfaces.ArgInput = {
    container: Args.string({ description: 'Container name or id (one or more)' }),
  };
  // Any number of targets.
  static override strict = false;
  static override baseFlags = engineFlags;

  /** The operands (at least one), the flags, and the engine. */
  protected async prepare(): Promise<{
    targets: string[];
    flags: Record<string, unknown>;
    engine: EngineApi;
  }> {
    // oclif copies a command's own statics only ({...Class}): a subclass would lose these.
    const ctor = this.constructor as typeof OperandsCommand;
    const { argv, flags } = await this.parse({
      flags: ctor.flags,
      baseFlags: ctor.baseFlags,
      args: ctor.args,
      strict: false,
    });
    const targets = argv as string[];
    return {
      targets,
      flags,
      engine: await engineForTargets(this.id?.replace(/:/g, ' ') ?? '', targets, flags),
    };
  }
}

export abstract class TargetsCommand extends OperandsCommand {
  /** The lines to print for a target that succeeded. */
  protected abstract act(
    engine: EngineApi,
    target: string,
    flags: Record<string, unknown>,
  ): Promise<string | string[] | undefined>;

  async run(): Promise<void> {
    const { targets, flags, engine } = await this.prepare();
    await forEachTarget(targets, (target) => this.act(engine, target, flags));
  }
}
