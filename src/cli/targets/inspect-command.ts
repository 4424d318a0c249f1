/**
 * `container inspect` and `image inspect`: any number of objects, docker's JSON or a template of
 * each. A subclass says how to fetch one.
 */
import type { EngineApi } from '../../engine-api/engine-api';
import { inspectFlagTable } from '../container/flag-tables';
import { inspectEach } from './inspect-each';
import { oclifFlags } from '../flags/oclif-flags';
import { OperandsCommand } from './targets-command';

export abstract class InspectCommand extends OperandsCommand {
  static override flags = oclifFlags(inspectFlagTable);

  protected abstract fetch(engine: EngineApi, ref: string): Promise<unknown>;

  async run(): Promise<void> {
    const { targets, flags, engine } = await this.prepare();
    await inspectEach(targets, (ref) => this.fetch(engine, ref), flags.format as string | undefined);
  }
}
