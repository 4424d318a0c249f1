import { Args, Command } from '@oclif/core';
import { showLogs } from '../../cli/container/logs';
import { engineFlags } from '../../cli/engine-client';
import { logsFlagTable } from '../../cli/container/flag-tables';
import { oclifFlags } from '../../cli/flags/oclif-flags';

export default class ContainerLogs extends Command {
  static override summary = 'Fetch the logs of a container';
  static override description =
    "The container's stdout goes to stdout, its stderr to stderr. --since and --until take a " +
    'duration back from now (10m, 1h30m), an RFC 3339 date or time, or unix seconds.';

  static override examples = [
    '<%= config.bin %> container logs -f --tail 10 web',
    '<%= config.bin %> container logs --since 10m -t web',
  ];

  static override args = { container: Args.string({ required: true, description: 'Container name or id' }) };
  static override baseFlags = engineFlags;
  static override flags = oclifFlags(logsFlagTable);

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ContainerLogs);
    await showLogs(args.container, flags);
  }
}
