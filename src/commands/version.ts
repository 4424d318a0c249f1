import { Command, Flags } from '@oclif/core';

export default class Version extends Command {
  static override description = 'Show the tscompose version information';

  static override flags = {
    format: Flags.string({
      char: 'f',
      options: ['pretty', 'json'],
      default: 'pretty',
      description: 'Format the output',
    }),
    short: Flags.boolean({ description: 'Shows only the version number' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Version);
    const version = this.config.version;
    if (flags.short) this.log(version);
    else if (flags.format === 'json') this.log(JSON.stringify({ version }));
    else this.log(`tscompose version v${version}`);
  }
}
