import type { EngineApi } from '../../engine-api/engine-api';
import { TargetsCommand } from '../../cli/targets/targets-command';

export default class ContainerUnpause extends TargetsCommand {
  static override summary = 'Unpause all processes within one or more containers';
  static override description = 'Frozen processes resume where they stopped.';
  static override examples = ['<%= config.bin %> container unpause web'];

  protected async act(engine: EngineApi, id: string): Promise<string> {
    await engine.unpauseContainer(id);
    return id;
  }
}
