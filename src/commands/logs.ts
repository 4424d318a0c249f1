import { composeLogsCommand } from '../cli/compose/commands/logs';
import { oclifCommand } from '../cli/oclif-command';

export default oclifCommand(composeLogsCommand);
