import { Command, Flags } from '@oclif/core';
import { composeFlags } from '../cli/compose/compose-flags';

export default class Config extends Command {
  static override description = 'Parse, resolve and render compose file in canonical format';

  static override examples = [
    '<%= config.bin %> config',
    '<%= config.bin %> -f compose.yaml -f compose.prod.yaml config --format json',
    "<%= config.bin %> config --hash '*'",
  ];

  static override baseFlags = composeFlags;

  static override flags = {
    format: Flags.string({ options: ['yaml', 'json'], default: 'yaml', description: 'Format the output' }),
    quiet: Flags.boolean({ char: 'q', description: "Only validate the configuration, don't print anything" }),
    services: Flags.boolean({ description: 'Print the service names, one per line' }),
    volumes: Flags.boolean({ description: 'Print the volume names, one per line' }),
    networks: Flags.boolean({ description: 'Print the network names, one per line' }),
    images: Flags.boolean({ description: 'Print the image names, one per line' }),
    profiles: Flags.boolean({ description: 'Print the profile names, one per line' }),
    variables: Flags.boolean({ description: 'Print model variables and default values' }),
    environment: Flags.boolean({ description: 'Print environment used for interpolation' }),
    hash: Flags.string({ description: "Print the service config hash, one per line ('*' for all services)" }),
    'no-interpolate': Flags.boolean({ description: "Don't interpolate environment variables" }),
    'no-normalize': Flags.boolean({ description: "Don't normalize compose model" }),
    'no-path-resolution': Flags.boolean({ description: "Don't resolve file paths" }),
    'no-consistency': Flags.boolean({
      description: "Don't check model consistency - warning: may produce invalid Compose output",
    }),
    output: Flags.string({ char: 'o', description: 'Save to file (default to stdout)' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Config);
    // Loaded here, not at the top: `--help` and other commands should not pay for the loader.
    const { showConfig } = require('../cli/compose/config') as typeof import('../cli/compose/config');
    showConfig(flags);
  }
}
