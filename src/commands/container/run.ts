import { runCommand } from '../../cli/container/commands/run';
import { oclifCommand } from '../../cli/oclif-command';

export default oclifCommand(runCommand);
