import { Command, Flags } from '@oclif/core';
import { engineFlags, openEngine } from '../../cli/engine-client';
import { parseFilters } from '../../cli/filters';
import { listingFlags, listOptions } from '../../cli/listing-flags';
import { renderContainerList } from '../../cli/render-containers';

export default class ContainerLs extends Command {
  static override summary = 'List containers';
  static override aliases = ['container:ps', 'container:list'];
  static override examples = [
    '<%= config.bin %> container ls -a',
    '<%= config.bin %> container ls -q --filter label=com.docker.compose.project=demo',
    "<%= config.bin %> container ls --format '{{.Names}}\\t{{.Status}}'",
  ];

  static override baseFlags = engineFlags;
  static override flags = {
    all: Flags.boolean({ char: 'a', description: 'Show all containers (default shows just running)' }),
    filter: Flags.string({
      char: 'f',
      multiple: true,
      multipleNonGreedy: true,
      description: 'Filter output based on conditions provided (label=K[=V], name=N, id=ID, status=S)',
    }),
    ...listingFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ContainerLs);
    const filters = parseFilters(flags.filter);
    const engine = await openEngine(flags);
    const list = await engine.listContainers({ all: flags.all, filters });
    process.stdout.write(renderContainerList(list, listOptions(flags)));
  }
}
