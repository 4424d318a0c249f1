import { unpauseCommand } from '../cli/compose/commands/pause';
import { oclifCommand } from '../cli/oclif-command';

export default oclifCommand(unpauseCommand);
