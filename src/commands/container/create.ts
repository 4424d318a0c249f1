import { Command } from '@oclif/core';
import { engineFlags } from '../../cli/engine-client';
import { createContainer, createRequestFromArgv } from '../../cli/container/create';
import { createFlags } from '../../cli/container/run-flag-defs';

export default class ContainerCreate extends Command {
  static override summary = 'Create a new container';
  static override description = "Prints the new container's id. Everything after IMAGE is the command.";
  static override usage = 'container create [OPTIONS] IMAGE [COMMAND] [ARG...]';
  static override examples = ['<%= config.bin %> container create --name box busybox sleep 60'];

  // Flags end at IMAGE: the argv is read by createRequestFromArgv, not by oclif.
  static override strict = false;
  static override baseFlags = engineFlags;
  static override flags = createFlags;

  async run(): Promise<void> {
    const { req, engine } = await createRequestFromArgv('container create', this.argv, createFlags);
    this.log((await createContainer(engine, req)).Id);
  }
}
