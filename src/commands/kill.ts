import { killCommand } from '../cli/compose/commands/kill';
import { oclifCommand } from '../cli/oclif-command';

export default oclifCommand(killCommand);
