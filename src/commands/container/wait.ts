import type { EngineApi } from '../../engine/api/engine-api';
import { TargetsCommand } from '../../cli/targets-command';

export default class ContainerWait extends TargetsCommand {
  static override summary = 'Block until one or more containers stop, then print their exit codes';
  static override examples = ['<%= config.bin %> container wait web'];

  protected async act(engine: EngineApi, id: string): Promise<string> {
    const result = await engine.waitContainer(id, 'not-running');
    return String(result.StatusCode);
  }
}
