import type { EngineApi } from '../../engine/api/engine-api';
import { TargetsCommand } from '../../cli/targets-command';

export default class ContainerStart extends TargetsCommand {
  static override summary = 'Start one or more stopped containers';
  static override examples = ['<%= config.bin %> container start web db'];

  protected async act(engine: EngineApi, id: string): Promise<string> {
    await engine.startContainer(id);
    return id;
  }
}
