import { waitCommand } from '../cli/compose/commands/wait';
import { oclifCommand } from '../cli/oclif-command';

export default oclifCommand(waitCommand);
