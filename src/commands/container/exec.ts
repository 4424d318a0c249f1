import { Command, Flags } from '@oclif/core';
import { parseUntilOperand } from '../../cli/argv-split';
import { engineFlags, openEngine } from '../../cli/engine-client';
import { runExec, runExecInteractive } from '../../cli/exec-run';
import { envList } from '../../cli/run-flags';
import { requireOperands } from '../../cli/usage';

const execFlags = {
  detach: Flags.boolean({ char: 'd', description: 'Detached mode: run command in the background' }),
  env: Flags.string({
    char: 'e',
    multiple: true,
    multipleNonGreedy: true,
    description: 'Set environment variables',
  }),
  'env-file': Flags.string({
    multiple: true,
    multipleNonGreedy: true,
    description: 'Read in a file of environment variables',
  }),
  user: Flags.string({ char: 'u', description: 'Username or UID (format: "<name|uid>[:<group|gid>]")' }),
  workdir: Flags.string({ char: 'w', description: 'Working directory inside the container' }),
  privileged: Flags.boolean({ description: 'Give extended privileges to the command' }),
  interactive: Flags.boolean({ char: 'i', description: 'Keep STDIN open even if not attached' }),
  tty: Flags.boolean({ char: 't', description: 'Allocate a pseudo-TTY' }),
  'detach-keys': Flags.string({
    description: 'Override the key sequence for detaching a container (ctrl-p,ctrl-q)',
  }),
};

export default class ContainerExec extends Command {
  static override summary = 'Execute a command in a running container';
  static override description =
    "Exits with the command's exit code: 126 when it cannot be run, 127 when it is not found.";

  static override usage = 'container exec [OPTIONS] CONTAINER COMMAND [ARG...]';
  static override examples = [
    '<%= config.bin %> container exec web ls -l /',
    '<%= config.bin %> container exec -e A=1 -w /tmp web env',
  ];

  // Flags end at CONTAINER: what follows is the command, even what looks like a flag.
  static override strict = false;
  static override baseFlags = engineFlags;
  static override flags = execFlags;

  async run(): Promise<void> {
    const { flags, operands } = await parseUntilOperand(this.argv, { ...engineFlags, ...execFlags });
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
    const engine = await openEngine(flags);
    const code =
      flags.tty && attach
        ? await runExecInteractive(engine, container, body, { detachKeys: flags['detach-keys'] })
        : await runExec(engine, container, body, { detach: flags.detach });
    if (code !== 0) this.exit(code);
  }
}
