import { psCommand } from '../cli/compose/commands/ps';
import { oclifCommand } from '../cli/oclif-command';

export default oclifCommand(psCommand);
