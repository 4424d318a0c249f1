import { Args } from '@oclif/core';
import type { EngineApi } from '../../engine-api/engine-api';
import { InspectCommand } from '../../cli/inspect-command';

export default class VolumeInspect extends InspectCommand {
  static override summary = 'Display detailed information on one or more volumes';
  static override examples = ["<%= config.bin %> volume inspect -f '{{.Mountpoint}}' data"];
  static override args = { volume: Args.string({ description: 'Volume name (one or more)' }) };

  protected fetch(engine: EngineApi, name: string): Promise<unknown> {
    return engine.inspectVolume(name);
  }
}
