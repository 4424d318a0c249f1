import { Command, Flags } from '@oclif/core';

export default class EngineRun extends Command {
  static override description =
    'Run the engine daemon in the foreground (the CLI starts it on demand otherwise)';

  static override flags = {
    'auto-started': Flags.boolean({
      hidden: true,
      description: 'Started by the CLI, which may replace it when stale',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(EngineRun);
    const { runDaemon } = require('../../engine/daemon') as typeof import('../../engine/daemon');
    await runDaemon({ version: this.config.version, autoStarted: flags['auto-started'] });
    // Whatever the engine left behind (timers, watchers) must not keep a stopped daemon alive.
    this.exit(0);
  }
}
