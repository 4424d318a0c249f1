import type { EngineApi } from '../../engine-api/engine-api';
import { killOne } from '../../cli/container/target-acts';
import { killFlagTable } from '../../cli/container/flag-tables';
import { oclifFlags } from '../../cli/flags/oclif-flags';
import { TargetsCommand } from '../../cli/targets/targets-command';

export default class ContainerKill extends TargetsCommand {
  static override summary = 'Kill one or more running containers';
  static override examples = ['<%= config.bin %> container kill -s HUP web'];
  static override flags = oclifFlags(killFlagTable);

  protected act(engine: EngineApi, id: string, flags: { signal?: string }) {
    return killOne(engine, id, flags);
  }
}
