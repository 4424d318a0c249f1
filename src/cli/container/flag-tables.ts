/**
 * The flags of the engine commands the fast path serves, as plain data (flags/flag-spec.ts): the
 * oclif commands make their flags of these, so both paths know the same flags. run and create
 * have theirs in run-flag-table.ts.
 */
import { bool, int, list, str, type FlagTable } from '../flags/flag-spec';
import { listingFlagTable } from '../flags/listing-flags';

export const execFlagTable = {
  detach: bool('Detached mode: run command in the background', { char: 'd' }),
  env: list('Set environment variables', { char: 'e' }),
  'env-file': list('Read in a file of environment variables'),
  user: str('Username or UID (format: "<name|uid>[:<group|gid>]")', { char: 'u' }),
  workdir: str('Working directory inside the container', { char: 'w' }),
  privileged: bool('Give extended privileges to the command'),
  interactive: bool('Keep STDIN open even if not attached', { char: 'i' }),
  tty: bool('Allocate a pseudo-TTY', { char: 't' }),
  'detach-keys': str('Override the key sequence for detaching a container (ctrl-p,ctrl-q)'),
} satisfies FlagTable;

export const lsFlagTable = {
  all: bool('Show all containers (default shows just running)', { char: 'a' }),
  filter: list(
    'Filter output based on conditions provided (label=K[=V], name=N, id=ID, status=S, health=H, ancestor=IMAGE, network=NET)',
    {
      char: 'f',
    },
  ),
  ...listingFlagTable,
} satisfies FlagTable;

export const logsFlagTable = {
  follow: bool('Follow log output', { char: 'f' }),
  tail: str('Number of lines to show from the end of the logs', { char: 'n', default: 'all' }),
  since: str('Show logs since timestamp (2013-01-02T13:23:37Z) or relative (42m)'),
  until: str('Show logs before a timestamp (2013-01-02T13:23:37Z) or relative (42m)'),
  timestamps: bool('Show timestamps', { char: 't' }),
} satisfies FlagTable;

export const stopFlagTable = {
  timeout: int('Seconds to wait before killing the container (default: its stop timeout, else 10)', {
    char: 't',
    aliases: ['time'],
  }),
  signal: str('Signal to send to the container (default: its stop signal)', { char: 's' }),
} satisfies FlagTable;

export const killFlagTable = {
  signal: str('Signal to send to the container (default: KILL)', { char: 's' }),
} satisfies FlagTable;

export const rmFlagTable = {
  force: bool('Force the removal of a running container (uses SIGKILL)', { char: 'f' }),
  volumes: bool('Remove anonymous volumes associated with the container', { char: 'v' }),
} satisfies FlagTable;
