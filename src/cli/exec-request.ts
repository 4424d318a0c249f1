/** `container exec CONTAINER COMMAND [ARG...]` and its flags → the exec the engine is asked for. */
import type { ExecCreateBody } from '../engine/api/types';
import type { FlagValues } from './flag-spec';
import type { execFlagTable } from './flag-tables';
import { envList } from './run-flags';
import { requireOperands } from './usage';

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
