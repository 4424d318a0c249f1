import { rmCommand } from '../cli/compose/commands/rm';
import { oclifCommand } from '../cli/oclif-command';

export default oclifCommand(rmCommand);
