/**
 * `container exec CONTAINER COMMAND [ARG...]` once its flags are read: the exec the engine is
 * asked for, and its run. The oclif command and the fast path both end here.
 */
import type { ExecCreateBody } from '../../engine-api/exec/types';
import { openEngine } from '../engine-client';
import { runExec, runExecInteractive } from './exec-run';
import type { FlagValues } from '../flags/flag-spec';
import type { engineFlagTable } from '../flags/engine-flags';
import type { execFlagTable } from './flag-tables';
import { envList } from './create-request';
import { requireOperands } from '../flags/usage';

type ExecFlagValues = FlagValues<typeof execFlagTable> & FlagValues<typeof engineFlagTable>;

export function execRequest(
  flags: FlagValues<typeof execFlagTable>,
  operands: string[],
): { container: string; body: ExecCreateBody } {
  requireOperands('container exec', operands, 2);
  const [container, ...cmd] = operands;
  const attach = !flags.detach;
  const body = {
    Cmd: cmd,
    Env: envList(flags),
    User: flags.user,
    WorkingDir: flags.workdir,
    Privileged: flags.privileged || undefined,
    Tty: flags.tty || undefined,
    AttachStdin: (flags.interactive && attach) || undefined,
    AttachStdout: attach,
    AttachStderr: attach,
  };
  return { container, body };
}

/** The exec's exit code (0 for `-d`); with -t or -i, after a terminal session. */
export async function execInContainer(flags: ExecFlagValues, operands: string[]): Promise<number> {
  const { container, body } = execRequest(flags, operands);
  const engine = await openEngine(flags);
  return (flags.tty || flags.interactive) && !flags.detach
    ? runExecInteractive(engine, container, body, { detachKeys: flags['detach-keys'] })
    : runExec(engine, container, body, { detach: flags.detach });
}
