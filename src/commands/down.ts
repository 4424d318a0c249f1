import { downCommand } from '../cli/compose/commands/down';
import { oclifCommand } from '../cli/oclif-command';

export default oclifCommand(downCommand);
