import { Args } from '@oclif/core';
import type { EngineApi } from '../../engine-api/engine-api';
import { InspectCommand } from '../../cli/inspect-command';

export default class NetworkInspect extends InspectCommand {
  static override summary = 'Display detailed information on one or more networks';
  static override examples = ["<%= config.bin %> network inspect -f '{{json .IPAM.Config}}' backend"];
  static override args = { network: Args.string({ description: 'Network name or id (one or more)' }) };

  protected fetch(engine: EngineApi, ref: string): Promise<unknown> {
    return engine.inspectNetwork(ref);
  }
}
