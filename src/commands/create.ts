import { createCommand } from '../cli/compose/commands/create';
import { oclifCommand } from '../cli/oclif-command';

export default oclifCommand(createCommand);
