import { logsCommand } from '../../cli/container/commands/logs';
import { oclifCommand } from '../../cli/oclif-command';

export default oclifCommand(logsCommand);
