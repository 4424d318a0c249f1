import { Args, Flags } from '@oclif/core';
import type { EngineApi } from '../../engine-api/engine-api';
import { TargetsCommand } from '../../cli/targets-command';

export default class VolumeRm extends TargetsCommand {
  static override summary = 'Remove one or more volumes';
  static override description = 'A volume a container uses (running or not) cannot be removed.';
  static override aliases = ['volume:remove'];
  static override examples = ['<%= config.bin %> volume rm data'];
  static override args = { volume: Args.string({ description: 'Volume name (one or more)' }) };
  static override flags = {
    force: Flags.boolean({ char: 'f', description: 'Force the removal of one or more volumes' }),
  };

  protected async act(engine: EngineApi, name: string, flags: { force?: boolean }): Promise<string> {
    await engine.removeVolume(name, { force: flags.force });
    return name;
  }
}
