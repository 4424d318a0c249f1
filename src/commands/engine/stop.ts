import { Command } from '@oclif/core';

export default class EngineStop extends Command {
  static override description =
    'Stop the engine daemon (it stops its containers; restart policies bring them back at its next start)';

  async run(): Promise<void> {
    await this.parse(EngineStop);
    const { stopEngine } = require('../../engine-api/connect') as typeof import('../../engine-api/connect');
    const stopped = await stopEngine();
    this.log(stopped ? `engine stopped (pid ${stopped.pid})` : 'engine is not running');
  }
}
