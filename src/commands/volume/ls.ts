import { Command } from '@oclif/core';
import { oclifFlags } from '../../cli/flags/oclif-flags';
import { volumeLsFlagTable } from '../../cli/volume/flags';
import { daemonError, engineFlags, openEngine } from '../../cli/engine-client';
import { parseFilters } from '../../cli/flags/filters';
import { renderVolumeList } from '../../cli/volume/render';

export default class VolumeLs extends Command {
  static override summary = 'List volumes';
  static override aliases = ['volume:list'];
  static override examples = [
    '<%= config.bin %> volume ls',
    '<%= config.bin %> volume ls -q --filter dangling=true',
  ];
  static override baseFlags = engineFlags;
  static override flags = oclifFlags(volumeLsFlagTable);

  async run(): Promise<void> {
    const { flags } = await this.parse(VolumeLs);
    const engine = await openEngine(flags);
    let volumes;
    try {
      volumes = (await engine.listVolumes({ filters: parseFilters(flags.filter) })).Volumes;
    } catch (err) {
      throw daemonError(err);
    }
    process.stdout.write(renderVolumeList(volumes, flags));
  }
}
