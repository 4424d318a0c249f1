/**
 * The parts of docker's exec inspect that come from the create body: which streams are open and
 * `ProcessConfig`. dockerpty (docker-compose 1.29's `exec` and `run` without the docker CLI)
 * reads `ProcessConfig.tty` to choose between a terminal and multiplexed frames.
 */
import type { ExecCreateBody, ExecInspect } from '../../engine-api/exec/types';

export function execInspectFromBody(
  body: ExecCreateBody,
): Pick<
  ExecInspect,
  'OpenStdin' | 'OpenStdout' | 'OpenStderr' | 'CanRemove' | 'DetachKeys' | 'ProcessConfig'
> {
  const [entrypoint = '', ...args] = body.Cmd;
  return {
    OpenStdin: body.AttachStdin === true,
    OpenStdout: body.AttachStdout === true,
    OpenStderr: body.AttachStderr === true,
    CanRemove: false,
    DetachKeys: body.DetachKeys ?? '',
    ProcessConfig: {
      tty: body.Tty === true,
      entrypoint,
      arguments: args,
      privileged: body.Privileged === true,
      user: body.User ?? '',
    },
  };
}
