import { updateCommand } from '../../cli/container/commands/update';
import { oclifCommand } from '../../cli/oclif-command';

export default oclifCommand(updateCommand);
