import { startCommand } from '../cli/compose/commands/start';
import { oclifCommand } from '../cli/oclif-command';

export default oclifCommand(startCommand);
