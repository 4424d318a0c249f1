import { Command, Flags } from '@oclif/core';
import { confirm } from '../../cli/confirm';
import { daemonError, engineFlags, openEngine } from '../../cli/engine-client';
import { parseFilters } from '../../cli/flags/filters';

const WARNING = 'WARNING! This will remove all custom networks not used by at least one container.';

export default class NetworkPrune extends Command {
  static override summary = 'Remove all unused networks';
  static override examples = ['<%= config.bin %> network prune -f'];
  static override baseFlags = engineFlags;
  static override flags = {
    force: Flags.boolean({ char: 'f', description: 'Do not prompt for confirmation' }),
    filter: Flags.string({
      multiple: true,
      multipleNonGreedy: true,
      description: 'Provide filter values (e.g. "label=<key>=<value>")',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(NetworkPrune);
    const filters = parseFilters(flags.filter);
    if (!flags.force && !(await confirm(WARNING))) return;
    const engine = await openEngine(flags);
    let deleted: string[];
    try {
      deleted = (await engine.pruneNetworks({ filters })).NetworksDeleted ?? [];
    } catch (err) {
      throw daemonError(err);
    }
    if (deleted.length) this.log(`Deleted Networks:\n${deleted.join('\n')}\n`);
  }
}
