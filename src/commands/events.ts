import { composeEventsCommand } from '../cli/compose/commands/events';
import { oclifCommand } from '../cli/oclif-command';

export default oclifCommand(composeEventsCommand);
