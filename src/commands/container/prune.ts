import { Command } from '@oclif/core';
import { confirm } from '../../cli/confirm';
import { oclifFlags } from '../../cli/flags/oclif-flags';
import { bool, list, type FlagTable } from '../../cli/flags/flag-spec';
import { daemonError, engineFlags, openEngine } from '../../cli/engine-client';
import { parseFilters } from '../../cli/flags/filters';
import { humanSize } from '../../cli/format/go-format';

const pruneFlagTable = {
  filter: list("Provide filter values (e.g. 'until=<timestamp>', 'label=<key>=<value>')"),
  force: bool('Do not prompt for confirmation', { char: 'f' }),
} satisfies FlagTable;

export default class ContainerPrune extends Command {
  static override summary = 'Remove all stopped containers';
  static override examples = [
    '<%= config.bin %> container prune -f',
    "<%= config.bin %> container prune -f --filter 'until=24h'",
  ];
  static override baseFlags = engineFlags;
  static override flags = oclifFlags(pruneFlagTable);

  async run(): Promise<void> {
    const { flags } = await this.parse(ContainerPrune);
    const filters = parseFilters(flags.filter);
    if (!flags.force && !(await confirm('WARNING! This will remove all stopped containers.'))) {
      this.log('Total reclaimed space: 0B');
      return;
    }
    const engine = await openEngine(flags);
    let report;
    try {
      report = await engine.pruneContainers(filters);
    } catch (err) {
      throw daemonError(err);
    }
    if (report.ContainersDeleted.length > 0)
      this.log(`Deleted Containers:\n${report.ContainersDeleted.join('\n')}\n`);
    this.log(`Total reclaimed space: ${humanSize(report.SpaceReclaimed)}`);
  }
}
