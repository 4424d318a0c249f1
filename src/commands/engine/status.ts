import { Command, Flags } from '@oclif/core';

export default class EngineStatus extends Command {
  static override description = 'Show whether the engine daemon runs, its pid, version, log and socket';

  static override flags = {
    format: Flags.string({
      options: ['pretty', 'json'],
      default: 'pretty',
      description: 'Format the output',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(EngineStatus);
    const { engineStatusReport } =
      require('../../cli/daemon/engine-commands') as typeof import('../../cli/daemon/engine-commands');
    const { running, text } = await engineStatusReport(flags.format);
    process.stdout.write(text);
    if (!running) this.exit(1);
  }
}
