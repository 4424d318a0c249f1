import { pullCommand } from '../cli/compose/commands/pull';
import { oclifCommand } from '../cli/oclif-command';

export default oclifCommand(pullCommand);
