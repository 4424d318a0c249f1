import { Args, Command, Flags } from '@oclif/core';
import { engineFlags, openEngine } from '../../cli/engine-client';
import { splitRepoTag } from '../../cli/container/commit-ref';

export default class ContainerCommit extends Command {
  static override summary = "Create a new image from a container's changes";
  static override usage = 'container commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]';
  static override examples = [
    '<%= config.bin %> container commit web web:patched',
    `<%= config.bin %> container commit -c 'CMD ["sh"]' -c 'ENV DEBUG=1' -m "debug build" web web:debug`,
  ];
  static override args = {
    container: Args.string({ required: true, description: 'Container name or id' }),
    image: Args.string({ required: false, description: 'REPOSITORY[:TAG] of the new image' }),
  };
  static override baseFlags = engineFlags;
  static override flags = {
    author: Flags.string({
      char: 'a',
      description: 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")',
    }),
    change: Flags.string({
      char: 'c',
      multiple: true,
      multipleNonGreedy: true,
      description: 'Apply Dockerfile instruction to the created image',
    }),
    message: Flags.string({ char: 'm', description: 'Commit message' }),
    pause: Flags.boolean({
      char: 'p',
      default: true,
      allowNo: true,
      description: 'Pause container during commit',
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ContainerCommit);
    const ref = args.image ? splitRepoTag(args.image) : {};
    const engine = await openEngine(flags);
    const { Id } = await engine.commitContainer({
      container: args.container,
      ...ref,
      author: flags.author,
      comment: flags.message,
      changes: flags.change ?? [],
      pause: flags.pause,
    });
    process.stdout.write(`${Id}\n`);
  }
}
