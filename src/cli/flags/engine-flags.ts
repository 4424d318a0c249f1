/** The flag every engine command has: which daemon to talk to. */
import { str, type FlagTable } from './flag-spec';

export const engineFlagTable = {
  host: str('Daemon socket to connect to (unix://PATH)', { char: 'H', helpGroup: 'GLOBAL' }),
} satisfies FlagTable;
