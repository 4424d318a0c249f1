import type { EngineApi } from '../../engine-api/engine-api';
import { inspectOne } from '../../cli/container/target-acts';
import { InspectCommand } from '../../cli/targets/inspect-command';

export default class ContainerInspect extends InspectCommand {
  static override summary = 'Display detailed information on one or more containers';
  static override examples = [
    '<%= config.bin %> container inspect web',
    "<%= config.bin %> container inspect -f '{{.State.ExitCode}}' web",
  ];

  protected fetch(engine: EngineApi, id: string): Promise<unknown> {
    return inspectOne(engine, id);
  }
}
