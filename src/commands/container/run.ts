import { Command } from '@oclif/core';
import { engineFlags } from '../../cli/engine-client';
import { runContainer } from '../../cli/container/run';
import { createRequestFromArgv } from '../../cli/container/create';
import { runFlags } from '../../cli/container/run-flag-defs';

export default class ContainerRun extends Command {
  static override summary = 'Create and run a new container from an image';
  static override description =
    'Everything after IMAGE is the command and its arguments, even what looks like a flag. ' +
    "Exits with the container's exit code; 125 when the engine refuses the container, 126 when " +
    'its command cannot be run, 127 when the command is not found.';

  static override usage = 'container run [OPTIONS] IMAGE [COMMAND] [ARG...]';
  static override examples = [
    '<%= config.bin %> container run --rm busybox echo hello',
    '<%= config.bin %> container run -d --name web -m 256m busybox httpd -f',
  ];

  // Flags end at IMAGE: the argv is read by createRequestFromArgv, not by oclif.
  static override strict = false;
  static override baseFlags = engineFlags;
  static override flags = runFlags;

  async run(): Promise<void> {
    const { flags, req, engine } = await createRequestFromArgv('container run', this.argv, runFlags);
    const code = await runContainer(flags, req, engine);
    if (code !== 0) this.exit(code);
  }
}
