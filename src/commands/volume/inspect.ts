import { volumeInspectCommand } from '../../cli/volume/commands';
import { oclifCommand } from '../../cli/oclif-command';

export default oclifCommand(volumeInspectCommand);
