/**
 * `exec` once its flags are read (docker compose's `cmd/compose/exec.go`): the service's
 * container (--index, else the first), then the engine-level exec's run — a terminal when
 * stdin and stdout are terminals and -T is not given, stdin passed on otherwise — and the
 * command's exit code as ours.
 */
import type { RunFlags } from '../command-descriptor';
import { envList } from '../container/create-request';
import { openEngine } from '../engine-client';
import { requireOperands } from '../flags/usage';
import type { composeExecFlagTable } from './oneoff-verb-flag-tables';
import { projectNameFromFlags } from './project-from-flags';
import { checkServices } from './services';

/** docker compose's default for -T: a terminal when ours is one (stdin too, or `-it` fails). */
export const wantsTty = (noTty: boolean | undefined): boolean =>
  !noTty && !!process.stdin.isTTY && !!process.stdout.isTTY;

export async function runComposeExec(
  flags: RunFlags<typeof composeExecFlagTable>,
  operands: string[],
): Promise<number> {
  requireOperands('exec', operands, 2);
  const [service, ...cmd] = operands;
  const { name, project } = projectNameFromFlags(flags);
  if (project) checkServices(project, [service]);
  const { serviceContainer } =
    require('../../compose/service-container') as typeof import('../../compose/service-container');
  const { runExec, runExecInteractive } =
    require('../container/exec-run') as typeof import('../container/exec-run');
  const engine = await openEngine(flags);
  const target = await serviceContainer(engine, name, service, flags.index);
  const tty = wantsTty(flags['no-TTY']);
  const attach = !flags.detach;
  const body = {
    Cmd: cmd,
    Env: envList({ env: flags.env }),
    User: flags.user,
    WorkingDir: flags.workdir,
    Privileged: flags.privileged || undefined,
    Tty: tty || undefined,
    AttachStdin: attach || undefined,
    AttachStdout: attach,
    AttachStderr: attach,
  };
  return flags.detach
    ? runExec(engine, target.Id, body, { detach: true })
    : runExecInteractive(engine, target.Id, body);
}
