import { Command, Flags } from '@oclif/core';

export default class EngineRun extends Command {
  static override description =
    'Run the engine daemon in the foreground (the CLI starts it on demand otherwise)';

  static override flags = {
    'auto-started': Flags.boolean({
      hidden: true,
      description: 'Started by the CLI, which may replace it when stale',
    }),
    child: Flags.boolean({
      hidden: true,
      description: 'The daemon itself, under the reaper that `engine run` is',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(EngineRun);
    if (!flags.child) {
      const { runReaper } = require('../../engine/reaper') as typeof import('../../engine/reaper');
      const args = [process.execPath, process.argv[1], 'engine', 'run', '--child'];
      if (flags['auto-started']) args.push('--auto-started');
      this.exit(await runReaper({ daemonArgs: args }));
    }
    const { runDaemon } = require('../../engine/daemon') as typeof import('../../engine/daemon');
    await runDaemon({ version: this.config.version, autoStarted: flags['auto-started'] });
    // Whatever the engine left behind (timers, watchers) must not keep a stopped daemon alive.
    this.exit(0);
  }
}
