import { Args, Command } from '@oclif/core';
import { engineFlags, openEngine } from '../../cli/engine-client';

/** docker's letters for a change's kind: modified, added, deleted. */
const KIND = ['C', 'A', 'D'];

export default class ContainerDiff extends Command {
  static override summary = "Inspect changes to files or directories on a container's filesystem";
  static override usage = 'container diff CONTAINER';
  static override examples = ['<%= config.bin %> container diff web'];
  static override args = { container: Args.string({ required: true, description: 'Container name or id' }) };
  static override baseFlags = engineFlags;

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ContainerDiff);
    const engine = await openEngine(flags);
    const changes = await engine.containerChanges(args.container);
    process.stdout.write(changes.map((c) => `${KIND[c.Kind]} ${c.Path}\n`).join(''));
  }
}
