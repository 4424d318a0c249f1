import { networkInspectCommand } from '../../cli/network/commands';
import { oclifCommand } from '../../cli/oclif-command';

export default oclifCommand(networkInspectCommand);
