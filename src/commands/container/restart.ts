import { restartCommand } from '../../cli/container/commands/targets';
import { oclifCommand } from '../../cli/oclif-command';

export default oclifCommand(restartCommand);
