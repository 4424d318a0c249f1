import type { EngineApi } from '../../engine-api/engine-api';
import { restartOne, type StopFlagValues } from '../../cli/container/target-acts';
import { stopFlagTable } from '../../cli/container/flag-tables';
import { oclifFlags } from '../../cli/flags/oclif-flags';
import { TargetsCommand } from '../../cli/targets/targets-command';

/**
 * `stop`'s flags and shape. Not a subclass of ContainerStop: oclif's manifest reads statics
 * through one level of prototypes only, and lost the operands and --host of a grandchild.
 */
export default class ContainerRestart extends TargetsCommand {
  static override summary = 'Restart one or more containers';
  static override examples = ['<%= config.bin %> container restart -t 2 web'];
  static override flags = oclifFlags(stopFlagTable);

  protected act(engine: EngineApi, id: string, flags: StopFlagValues) {
    return restartOne(engine, id, flags);
  }
}
