import type { EngineApi } from '../../engine-api/engine-api';
import { removeOne } from '../../cli/container/target-acts';
import { rmFlagTable } from '../../cli/container/flag-tables';
import { oclifFlags } from '../../cli/flags/oclif-flags';
import { TargetsCommand } from '../../cli/targets/targets-command';

export default class ContainerRm extends TargetsCommand {
  static override summary = 'Remove one or more containers';
  static override aliases = ['container:remove'];
  static override examples = ['<%= config.bin %> container rm -f web db'];
  static override flags = oclifFlags(rmFlagTable);

  protected act(engine: EngineApi, id: string, flags: { force?: boolean; volumes?: boolean }) {
    return removeOne(engine, id, flags);
  }
}
