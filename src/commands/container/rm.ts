import { Flags } from '@oclif/core';
import type { EngineApi } from '../../engine/api/engine-api';
import { TargetsCommand } from '../../cli/targets-command';

export default class ContainerRm extends TargetsCommand {
  static override summary = 'Remove one or more containers';
  static override aliases = ['container:remove'];
  static override examples = ['<%= config.bin %> container rm -f web db'];
  static override flags = {
    force: Flags.boolean({
      char: 'f',
      description: 'Force the removal of a running container (uses SIGKILL)',
    }),
    volumes: Flags.boolean({
      char: 'v',
      description: 'Remove anonymous volumes associated with the container',
    }),
  };

  protected async act(engine: EngineApi, id: string, flags: { force?: boolean; volumes?: boolean }) {
    await engine.removeContainer(id, { force: flags.force, volumes: flags.volumes });
    return id;
  }
}
