import { pauseCommand } from '../cli/compose/commands/pause';
import { oclifCommand } from '../cli/oclif-command';

export default oclifCommand(pauseCommand);
