import { Args, Command, Flags } from '@oclif/core';
import { engineFlags } from '../../cli/engine-client';
import { exportContainer } from '../../cli/container/export';

export default class ContainerExport extends Command {
  static override summary = "Export a container's filesystem as a tar archive";
  static override usage = 'container export [OPTIONS] CONTAINER';
  static override examples = [
    '<%= config.bin %> container export web > web.tar',
    '<%= config.bin %> container export -o web.tar web',
  ];
  static override args = { container: Args.string({ required: true, description: 'Container name or id' }) };
  static override baseFlags = engineFlags;
  static override flags = {
    output: Flags.string({ char: 'o', description: 'Write to a file, instead of STDOUT' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ContainerExport);
    await exportContainer(args.container, flags);
  }
}
