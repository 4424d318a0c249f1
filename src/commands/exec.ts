import { composeExecCommand } from '../cli/compose/commands/exec';
import { oclifCommand } from '../cli/oclif-command';

export default oclifCommand(composeExecCommand);
