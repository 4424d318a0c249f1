import { Command, Flags } from '@oclif/core';
import { daemonError, engineFlags, openEngine } from '../../cli/engine-client';
import { parseFilters } from '../../cli/flags/filters';
import { listingFlags, listOptions } from '../../cli/flags/listing-flags';
import { renderNetworkList } from '../../cli/network/render';

export default class NetworkLs extends Command {
  static override summary = 'List networks';
  static override aliases = ['network:list'];
  static override examples = [
    '<%= config.bin %> network ls',
    '<%= config.bin %> network ls -f driver=bridge -q',
  ];
  static override baseFlags = engineFlags;
  static override flags = {
    filter: Flags.string({
      char: 'f',
      multiple: true,
      multipleNonGreedy: true,
      description: 'Provide filter values (e.g. "driver=bridge")',
    }),
    ...listingFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(NetworkLs);
    const filters = parseFilters(flags.filter);
    const engine = await openEngine(flags);
    try {
      process.stdout.write(renderNetworkList(await engine.listNetworks({ filters }), listOptions(flags)));
    } catch (err) {
      throw daemonError(err);
    }
  }
}
