import { imageInspectCommand } from '../../cli/image/commands/targets';
import { oclifCommand } from '../../cli/oclif-command';

export default oclifCommand(imageInspectCommand);
