import { volumeRmCommand } from '../../cli/volume/commands';
import { oclifCommand } from '../../cli/oclif-command';

export default oclifCommand(volumeRmCommand);
