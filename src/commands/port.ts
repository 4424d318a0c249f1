import { composePortCommand } from '../cli/compose/commands/port';
import { oclifCommand } from '../cli/oclif-command';

export default oclifCommand(composePortCommand);
