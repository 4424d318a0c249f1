import { Flags } from '@oclif/core';
import type { EngineApi } from '../../engine/api/engine-api';
import { TargetsCommand } from '../../cli/targets-command';

export const stopFlags = {
  timeout: Flags.integer({
    char: 't',
    aliases: ['time'],
    description: 'Seconds to wait before killing the container (default: its stop timeout, else 10)',
  }),
  signal: Flags.string({
    char: 's',
    description: 'Signal to send to the container (default: its stop signal)',
  }),
};

export interface StopFlagValues {
  timeout?: number;
  signal?: string;
}

export default class ContainerStop extends TargetsCommand {
  static override summary = 'Stop one or more running containers';
  static override examples = ['<%= config.bin %> container stop -t 2 web'];
  static override flags = stopFlags;

  protected async act(engine: EngineApi, id: string, flags: StopFlagValues): Promise<string> {
    await engine.stopContainer(id, { timeout: flags.timeout, signal: flags.signal });
    return id;
  }
}
