import { restartCommand } from '../cli/compose/commands/restart';
import { oclifCommand } from '../cli/oclif-command';

export default oclifCommand(restartCommand);
