import { Command } from '@oclif/core';
import { readUntilOperand } from '../../cli/flags/until-operand';
import { engineFlagTable } from '../../cli/flags/engine-flags';
import { engineFlags, openEngine } from '../../cli/engine-client';
import { renderTop } from '../../cli/container/render-containers';
import { requireOperands } from '../../cli/flags/usage';

export default class ContainerTop extends Command {
  static override summary = 'Display the running processes of a container';
  static override usage = 'container top CONTAINER [ps OPTIONS]';
  static override examples = [
    '<%= config.bin %> container top web',
    '<%= config.bin %> container top web -o pid,args',
  ];

  // ps options come after the container and may look like flags: the argv is cut at CONTAINER.
  static override strict = false;
  static override baseFlags = engineFlags;

  async run(): Promise<void> {
    const { flags, operands } = readUntilOperand(this.argv, engineFlagTable);
    requireOperands('container top', operands, 1);
    const [container, ...psArgs] = operands;
    const engine = await openEngine(flags);
    const top = await engine.topContainer(container, psArgs.length > 0 ? psArgs.join(' ') : undefined);
    process.stdout.write(renderTop(top));
  }
}
