import { Args, Flags } from '@oclif/core';
import { NotFoundError } from '../../common/errors';
import type { EngineApi } from '../../engine-api/engine-api';
import { TargetsCommand } from '../../cli/targets-command';

export default class NetworkRm extends TargetsCommand {
  static override summary = 'Remove one or more networks';
  static override aliases = ['network:remove'];
  static override examples = ['<%= config.bin %> network rm backend'];
  static override args = { network: Args.string({ description: 'Network name or id (one or more)' }) };
  static override flags = {
    force: Flags.boolean({ char: 'f', description: 'Do not error if the network does not exist' }),
  };

  /** docker prints each network as it was named. */
  protected async act(
    engine: EngineApi,
    ref: string,
    flags: { force?: boolean },
  ): Promise<string | undefined> {
    try {
      await engine.removeNetwork(ref);
    } catch (err) {
      if (flags.force && err instanceof NotFoundError) return undefined;
      throw err;
    }
    return ref;
  }
}
