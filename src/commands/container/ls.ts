import { Command } from '@oclif/core';
import { engineFlags } from '../../cli/engine-client';
import { lsFlagTable } from '../../cli/container/flag-tables';
import { listContainers } from '../../cli/container/ls';
import { oclifFlags } from '../../cli/flags/oclif-flags';

export default class ContainerLs extends Command {
  static override summary = 'List containers';
  static override aliases = ['container:ps', 'container:list'];
  static override examples = [
    '<%= config.bin %> container ls -a',
    '<%= config.bin %> container ls -q --filter label=com.docker.compose.project=demo',
    "<%= config.bin %> container ls --format '{{.Names}}\\t{{.Status}}'",
  ];

  static override baseFlags = engineFlags;
  static override flags = oclifFlags(lsFlagTable);

  async run(): Promise<void> {
    const { flags } = await this.parse(ContainerLs);
    await listContainers(flags);
  }
}
