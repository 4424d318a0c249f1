import { Args, Flags } from '@oclif/core';
import type { EngineApi } from '../../engine-api/engine-api';
import { TargetsCommand } from '../../cli/targets/targets-command';

export default class ImageRm extends TargetsCommand {
  static override summary = 'Remove one or more images';
  static override aliases = ['image:remove'];
  static override examples = ['<%= config.bin %> image rm busybox:local'];
  static override args = { image: Args.string({ description: 'Image reference or id (one or more)' }) };
  static override flags = {
    force: Flags.boolean({ char: 'f', description: 'Force removal of the image' }),
  };

  /** docker's lines: `Untagged: busybox:latest`, then `Deleted: sha256:…`. */
  protected async act(engine: EngineApi, ref: string, flags: { force?: boolean }): Promise<string[]> {
    const removed = await engine.removeImage(ref, { force: flags.force });
    return removed.map((r) =>
      r.Untagged !== undefined ? `Untagged: ${r.Untagged}` : `Deleted: ${r.Deleted}`,
    );
  }
}
