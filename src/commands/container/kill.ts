import { Flags } from '@oclif/core';
import type { EngineApi } from '../../engine/api/engine-api';
import { TargetsCommand } from '../../cli/targets-command';

export default class ContainerKill extends TargetsCommand {
  static override summary = 'Kill one or more running containers';
  static override examples = ['<%= config.bin %> container kill -s HUP web'];
  static override flags = {
    signal: Flags.string({ char: 's', description: 'Signal to send to the container (default: KILL)' }),
  };

  protected async act(engine: EngineApi, id: string, flags: { signal?: string }): Promise<string> {
    await engine.killContainer(id, flags.signal);
    return id;
  }
}
