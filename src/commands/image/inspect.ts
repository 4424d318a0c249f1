import { Args } from '@oclif/core';
import type { EngineApi } from '../../engine-api/engine-api';
import { InspectCommand } from '../../cli/targets/inspect-command';

export default class ImageInspect extends InspectCommand {
  static override summary = 'Display detailed information on one or more images';
  static override examples = ["<%= config.bin %> image inspect -f '{{json .Config.Cmd}}' busybox"];
  static override args = { image: Args.string({ description: 'Image reference or id (one or more)' }) };

  protected fetch(engine: EngineApi, ref: string): Promise<unknown> {
    return engine.inspectImage(ref);
  }
}
