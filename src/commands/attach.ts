import { composeAttachCommand } from '../cli/compose/commands/attach';
import { oclifCommand } from '../cli/oclif-command';

export default oclifCommand(composeAttachCommand);
