import { lsCommand } from '../../cli/container/commands/ls';
import { oclifCommand } from '../../cli/oclif-command';

export default oclifCommand(lsCommand);
