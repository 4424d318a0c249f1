/**
 * The shape of `start`, `stop`, `rm`, `wait`, `image rm`…: one or more containers (or images),
 * each one acted on in turn, docker's way (see forEachTarget). A subclass says what to do to one.
 */
import { Args, Command, type Interfaces } from '@oclif/core';
import type { EngineApi } from '../engine/api/engine-api';
import { engineFlags, forEachTarget, openEngine } from './engine-client';
import { requireOperands } from './usage';

export abstract class TargetsCommand extends Command {
  static override args: Interfaces.ArgInput = {
    container: Args.string({ description: 'Container name or id (one or more)' }),
  };
  // Any number of targets.
  static override strict = false;
  static override baseFlags = engineFlags;

  /** The lines to print for a target that succeeded. */
  protected abstract act(
    engine: EngineApi,
    target: string,
    flags: Record<string, unknown>,
  ): Promise<string | string[] | undefined>;

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(this.constructor as typeof TargetsCommand);
    requireOperands(this.id?.replace(/:/g, ' ') ?? '', argv as string[], 1);
    const engine = await openEngine(flags);
    await forEachTarget(argv as string[], (target) => this.act(engine, target, flags));
  }
}
