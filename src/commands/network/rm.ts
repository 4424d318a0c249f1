import { networkRmCommand } from '../../cli/network/commands';
import { oclifCommand } from '../../cli/oclif-command';

export default oclifCommand(networkRmCommand);
