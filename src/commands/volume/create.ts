import { Args, Command } from '@oclif/core';
import { oclifFlags } from '../../cli/flags/oclif-flags';
import { volumeCreateFlagTable } from '../../cli/volume/flags';
import { daemonError, engineFlags, openEngine } from '../../cli/engine-client';
import { keyValues } from '../../cli/volume/options';

export default class VolumeCreate extends Command {
  static override summary = 'Create a volume';
  static override examples = [
    '<%= config.bin %> volume create data',
    '<%= config.bin %> volume create -o type=tmpfs -o device=tmpfs -o o=size=64m scratch',
  ];
  static override baseFlags = engineFlags;
  static override args = { name: Args.string({ description: 'Volume name (a generated one when none)' }) };
  static override flags = oclifFlags(volumeCreateFlagTable);

  async run(): Promise<void> {
    const { args, flags } = await this.parse(VolumeCreate);
    const engine = await openEngine(flags);
    try {
      const v = await engine.createVolume({
        Name: args.name,
        Driver: flags.driver,
        DriverOpts: keyValues(flags.opt),
        Labels: keyValues(flags.label),
      });
      this.log(v.Name);
    } catch (err) {
      throw daemonError(err);
    }
  }
}
