import { Command } from '@oclif/core';
import { confirm } from '../../cli/confirm';
import { oclifFlags } from '../../cli/flags/oclif-flags';
import { volumePruneFlagTable } from '../../cli/volume/flags';
import { daemonError, engineFlags, openEngine } from '../../cli/engine-client';
import { parseFilters } from '../../cli/flags/filters';
import { humanSize } from '../../cli/format/go-format';

const WARNING = {
  anonymous: 'WARNING! This will remove anonymous local volumes not used by at least one container.',
  all: 'WARNING! This will remove all local volumes not used by at least one container.',
};

export default class VolumePrune extends Command {
  static override summary = 'Remove unused local volumes';
  static override description =
    'Anonymous volumes no container uses; with --all every volume no container uses.';
  static override examples = ['<%= config.bin %> volume prune -f', '<%= config.bin %> volume prune -a -f'];
  static override baseFlags = engineFlags;
  static override flags = oclifFlags(volumePruneFlagTable);

  async run(): Promise<void> {
    const { flags } = await this.parse(VolumePrune);
    const filters = parseFilters(flags.filter) ?? {};
    if (flags.all) filters.all = ['true'];
    if (!flags.force && !(await confirm(flags.all ? WARNING.all : WARNING.anonymous))) {
      this.log('Total reclaimed space: 0B');
      return;
    }
    const engine = await openEngine(flags);
    let report;
    try {
      report = await engine.pruneVolumes({ filters });
    } catch (err) {
      throw daemonError(err);
    }
    if (report.VolumesDeleted.length > 0) this.log(`Deleted Volumes:\n${report.VolumesDeleted.join('\n')}\n`);
    this.log(`Total reclaimed space: ${humanSize(report.SpaceReclaimed)}`);
  }
}
