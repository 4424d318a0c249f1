import { imagesCommand } from '../cli/compose/commands/images';
import { oclifCommand } from '../cli/oclif-command';

export default oclifCommand(imagesCommand);
