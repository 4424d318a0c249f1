import { Args, Command } from '@oclif/core';
import { engineFlags, openEngine } from '../../cli/engine-client';

export default class ContainerRename extends Command {
  static override summary = 'Rename a container';
  static override usage = 'container rename CONTAINER NEW_NAME';
  static override examples = ['<%= config.bin %> container rename web web-old'];
  static override baseFlags = engineFlags;
  static override args = {
    container: Args.string({ required: true, description: 'Container name or id' }),
    name: Args.string({ required: true, description: 'The new name' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ContainerRename);
    const engine = await openEngine(flags);
    await engine.renameContainer(args.container, args.name);
  }
}
