import type { EngineApi } from '../../engine/api/engine-api';
import ContainerStop, { type StopFlagValues } from './stop';

/** `stop`'s flags and shape; only the call differs. */
export default class ContainerRestart extends ContainerStop {
  static override summary = 'Restart one or more containers';
  static override examples = ['<%= config.bin %> container restart -t 2 web'];

  protected override async act(engine: EngineApi, id: string, flags: StopFlagValues): Promise<string> {
    await engine.restartContainer(id, { timeout: flags.timeout, signal: flags.signal });
    return id;
  }
}
