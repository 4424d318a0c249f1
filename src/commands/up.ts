import { upCommand } from '../cli/compose/commands/up';
import { oclifCommand } from '../cli/oclif-command';

export default oclifCommand(upCommand);
