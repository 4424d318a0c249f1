import { execCommand } from '../../cli/container/commands/exec';
import { oclifCommand } from '../../cli/oclif-command';

export default oclifCommand(execCommand);
