import type { EngineApi } from '../../engine-api/engine-api';
import { startOne } from '../../cli/container/target-acts';
import { TargetsCommand } from '../../cli/targets/targets-command';

export default class ContainerStart extends TargetsCommand {
  static override summary = 'Start one or more stopped containers';
  static override examples = ['<%= config.bin %> container start web db'];

  protected act(engine: EngineApi, id: string) {
    return startOne(engine, id, {});
  }
}
