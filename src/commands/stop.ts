import { stopCommand } from '../cli/compose/commands/stop';
import { oclifCommand } from '../cli/oclif-command';

export default oclifCommand(stopCommand);
