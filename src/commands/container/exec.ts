import { Command } from '@oclif/core';
import { parseUntilOperand } from '../../cli/flags/until-operand';
import { engineFlags } from '../../cli/engine-client';
import { execInContainer } from '../../cli/container/exec';
import { execFlagTable } from '../../cli/container/flag-tables';
import { oclifFlags } from '../../cli/flags/oclif-flags';

const execFlags = oclifFlags(execFlagTable);

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
    const code = await execInContainer(flags, operands);
    if (code !== 0) this.exit(code);
  }
}
