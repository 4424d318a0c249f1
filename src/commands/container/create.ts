import { createCommand } from '../../cli/container/commands/run';
import { oclifCommand } from '../../cli/oclif-command';

export default oclifCommand(createCommand);
