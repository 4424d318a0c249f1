import { composeTopCommand } from '../cli/compose/commands/top';
import { oclifCommand } from '../cli/oclif-command';

export default oclifCommand(composeTopCommand);
