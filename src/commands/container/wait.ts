import type { EngineApi } from '../../engine-api/engine-api';
import { waitOne } from '../../cli/container/target-acts';
import { TargetsCommand } from '../../cli/targets/targets-command';

export default class ContainerWait extends TargetsCommand {
  static override summary = 'Block until one or more containers stop, then print their exit codes';
  static override examples = ['<%= config.bin %> container wait web'];

  protected act(engine: EngineApi, id: string) {
    return waitOne(engine, id, {});
  }
}
