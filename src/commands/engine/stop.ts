import { Command } from '@oclif/core';

export default class EngineStop extends Command {
  static override description =
    'Stop the engine daemon (it stops its containers; restart policies bring them back at its next start)';

  async run(): Promise<void> {
    await this.parse(EngineStop);
    const { stopEngineReport } =
      require('../../cli/daemon/engine-commands') as typeof import('../../cli/daemon/engine-commands');
    this.log(await stopEngineReport());
  }
}
