import { pushCommand } from '../cli/compose/commands/push';
import { oclifCommand } from '../cli/oclif-command';

export default oclifCommand(pushCommand);
