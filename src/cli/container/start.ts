/** Starting a created container, with docker's exit codes for a start that fails. */
import type { EngineApi } from '../../engine-api/engine-api';
import { daemonError } from '../engine-client';
import { ENGINE_REFUSED } from './create';

/** docker's: 127 when the command is not there, 126 when it cannot be run, else 125. */
export function startFailureExitCode(message: string): number {
  if (/executable file not found|no such file or directory/.test(message)) return 127;
  if (/permission denied|is a directory/.test(message)) return 126;
  return ENGINE_REFUSED;
}

export async function startCreated(engine: EngineApi, id: string): Promise<void> {
  try {
    await engine.startContainer(id);
  } catch (err) {
    throw daemonError(err, startFailureExitCode((err as Error)?.message ?? ''));
  }
}
