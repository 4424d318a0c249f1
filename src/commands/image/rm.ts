import { imageRmCommand } from '../../cli/image/commands/targets';
import { oclifCommand } from '../../cli/oclif-command';

export default oclifCommand(imageRmCommand);
