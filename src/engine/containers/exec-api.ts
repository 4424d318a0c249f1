/** The exec half of the Engine API over the exec manager. */
import type { ExecApi } from '../../engine-api/exec/api';
import type { ExecManager } from './execs';

export function execApi(execs: ExecManager): ExecApi {
  return {
    createExec: async (id, body) => execs.create(id, body),
    startExec: (id, signal) => execs.start(id, signal),
    inspectExec: async (id) => execs.inspect(id),
    startExecAttached: (id, o) => execs.startAttached(id, o),
    resizeExec: (id, h, w) => execs.resize(id, h, w),
  };
}
