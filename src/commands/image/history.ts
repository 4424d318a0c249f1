import { Args, Command, Flags } from '@oclif/core';
import { daemonError, engineFlags, openEngine } from '../../cli/engine-client';
import { humanFlag, renderHistory } from '../../cli/image/render-history';

export default class ImageHistory extends Command {
  static override summary = 'Show the history of an image';
  static override description =
    'Each layer with the instruction that made it, newest first, as docker history prints it. The layers below the top have no image of their own (`<missing>`), as after a pull.';
  static override examples = [
    '<%= config.bin %> image history busybox',
    "<%= config.bin %> image history --no-trunc --format '{{json .}}' busybox",
  ];
  static override args = { image: Args.string({ required: true, description: 'Image' }) };
  // docker's history takes -H for --human: the engine's --host keeps only its long name here.
  static override baseFlags = { host: { ...engineFlags.host, char: undefined } };
  static override flags = {
    human: Flags.string({
      char: 'H',
      description: 'Print sizes and dates in human readable format (true|false)',
      default: 'true',
    }),
    'no-trunc': Flags.boolean({ description: "Don't truncate output" }),
    quiet: Flags.boolean({ char: 'q', description: 'Only show image IDs' }),
    format: Flags.string({
      description: "Format output: 'table', 'table TEMPLATE', 'json' or a Go template",
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ImageHistory);
    const human = humanFlag(flags.human);
    const engine = await openEngine(flags);
    let items;
    try {
      items = await engine.imageHistory(args.image);
    } catch (err) {
      throw daemonError(err);
    }
    process.stdout.write(
      renderHistory(items, {
        now: Date.now(),
        human,
        noTrunc: flags['no-trunc'],
        quiet: flags.quiet,
        format: flags.format,
      }),
    );
  }
}
