import { Args, Command, Flags } from '@oclif/core';
import { attachContainer } from '../../cli/container/attach';
import { engineFlags, openEngine } from '../../cli/engine-client';

export default class ContainerAttach extends Command {
  static override summary = 'Attach local standard input, output, and error streams to a running container';
  static override description =
    "Exits with the container's exit code once it ends. The detach keys (ctrl-p ctrl-q unless " +
    '--detach-keys says otherwise) leave it running.';

  static override examples = [
    '<%= config.bin %> container attach web',
    '<%= config.bin %> container attach --detach-keys ctrl-x web',
  ];

  static override args = { container: Args.string({ required: true, description: 'Container name or id' }) };
  static override baseFlags = engineFlags;
  static override flags = {
    'detach-keys': Flags.string({
      description: 'Override the key sequence for detaching a container (ctrl-p,ctrl-q)',
    }),
    'no-stdin': Flags.boolean({ description: 'Do not attach STDIN' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ContainerAttach);
    const engine = await openEngine(flags);
    const code = await attachContainer(engine, args.container, {
      detachKeys: flags['detach-keys'],
      noStdin: flags['no-stdin'],
    });
    if (code !== 0) this.exit(code);
  }
}
