import { composeRunCommand } from '../cli/compose/commands/run';
import { oclifCommand } from '../cli/oclif-command';

export default oclifCommand(composeRunCommand);
