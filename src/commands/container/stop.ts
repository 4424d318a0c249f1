import type { EngineApi } from '../../engine-api/engine-api';
import { stopOne, type StopFlagValues } from '../../cli/container/target-acts';
import { stopFlagTable } from '../../cli/container/flag-tables';
import { oclifFlags } from '../../cli/flags/oclif-flags';
import { TargetsCommand } from '../../cli/targets/targets-command';

export default class ContainerStop extends TargetsCommand {
  static override summary = 'Stop one or more running containers';
  static override examples = ['<%= config.bin %> container stop -t 2 web'];
  static override flags = oclifFlags(stopFlagTable);

  protected act(
    engine: EngineApi,
    id: string,
    flags: StopFlagValues,
  ): Promise<string | string[] | undefined> {
    return stopOne(engine, id, flags);
  }
}
