import type { EngineApi } from '../../engine-api/engine-api';
import { killOne } from '../../cli/container-acts';
import { killFlagTable } from '../../cli/flag-tables';
import { oclifFlags } from '../../cli/oclif-flags';
import { TargetsCommand } from '../../cli/targets-command';

export default class ContainerKill extends TargetsCommand {
  static override summary = 'Kill one or more running containers';
  static override examples = ['<%= config.bin %> container kill -s HUP web'];
  static override flags = oclifFlags(killFlagTable);

  protected act(engine: EngineApi, id: string, flags: { signal?: string }) {
    return killOne(engine, id, flags);
  }
}
