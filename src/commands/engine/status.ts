import { Command, Flags } from '@oclif/core';

export default class EngineStatus extends Command {
  static override description = 'Show whether the engine daemon runs, its pid, version and socket';

  static override flags = {
    format: Flags.string({
      options: ['pretty', 'json'],
      default: 'pretty',
      description: 'Format the output',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(EngineStatus);
    const { engineStatus } = require('../../engine-api/connect') as typeof import('../../engine-api/connect');
    const s = await engineStatus();
    if (flags.format === 'json') this.log(JSON.stringify(s));
    else if (!s.running) this.log(`engine: not running (unix://${s.socket})`);
    else {
      this.log('engine: running');
      this.log(`pid: ${s.pid ?? 'unknown'}${s.autoStarted ? ' (started on demand)' : ''}`);
      this.log(`version: ${s.version?.Version} (API ${s.version?.ApiVersion}, build ${s.version?.BuildId})`);
      this.log(`socket: unix://${s.socket}`);
    }
    if (!s.running) this.exit(1);
  }
}
