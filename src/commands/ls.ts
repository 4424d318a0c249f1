import { lsCommand } from '../cli/compose/commands/ls';
import { oclifCommand } from '../cli/oclif-command';

export default oclifCommand(lsCommand);
