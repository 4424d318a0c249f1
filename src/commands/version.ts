import { versionCommand } from '../cli/compose/commands/version';
import { oclifCommand } from '../cli/oclif-command';

export default oclifCommand(versionCommand);
