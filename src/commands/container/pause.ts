import type { EngineApi } from '../../engine-api/engine-api';
import { TargetsCommand } from '../../cli/targets/targets-command';

export default class ContainerPause extends TargetsCommand {
  static override summary = 'Pause all processes within one or more containers';
  static override description =
    'The processes are frozen (the cgroup freezer): they stay in memory, get no CPU time, and resume at unpause.';
  static override examples = ['<%= config.bin %> container pause web'];

  protected async act(engine: EngineApi, id: string): Promise<string> {
    await engine.pauseContainer(id);
    return id;
  }
}
