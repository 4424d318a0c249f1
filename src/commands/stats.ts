import { composeStatsCommand } from '../cli/compose/commands/stats';
import { oclifCommand } from '../cli/oclif-command';

export default oclifCommand(composeStatsCommand);
