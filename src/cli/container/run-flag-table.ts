/**
 * The flags of `container create` and `container run`, as docker names them, as plain data:
 * their oclif flags are made of them, the fast path reads them as they are. Every value
 * is taken as a string: docker's own parsing (units, ranges, wording of the errors) follows in
 * create-request.ts, where it can exit 125 as docker does.
 */
import { bool, list, str, type FlagTable, type FlagValues } from '../flags/flag-spec';
import { networkFlagTable } from './network-flags';
import { portFlagTable } from './port-flags';

export const createFlagTable = {
  name: str('Assign a name to the container'),
  rm: bool('Automatically remove the container when it exits'),
  env: list('Set environment variables (KEY=VALUE, or KEY to take it from here)', { char: 'e' }),
  'env-file': list('Read in a file of environment variables'),
  volume: list('Bind mount a volume (SRC:DST[:OPTS])', { char: 'v' }),
  mount: list('Attach a filesystem mount (type=bind|volume|tmpfs,source=,target=,readonly)'),
  'volumes-from': list('Mount volumes from the specified container(s) (CONTAINER[:ro|:rw])'),
  tmpfs: list('Mount a tmpfs directory (PATH[:OPTS])'),
  workdir: str('Working directory inside the container', { char: 'w' }),
  user: str('Username or UID (format: "<name|uid>[:<group|gid>]")', { char: 'u' }),
  entrypoint: str('Overwrite the default ENTRYPOINT of the image'),
  hostname: str('Container host name', { char: 'h' }),
  memory: str('Memory limit (512m, 1.5g)', { char: 'm' }),
  'memory-swap': str("Swap limit equal to memory plus swap: '-1' to enable unlimited swap"),
  'memory-reservation': str('Memory soft limit'),
  cpus: str('Number of CPUs'),
  'cpu-shares': str('CPU shares (relative weight)', { char: 'c' }),
  'cpu-period': str('Limit CPU CFS (Completely Fair Scheduler) period'),
  'cpu-quota': str('Limit CPU CFS (Completely Fair Scheduler) quota'),
  'cpuset-cpus': str('CPUs in which to allow execution (0-3, 0,1)'),
  'cpuset-mems': str('MEMs in which to allow execution (0-3, 0,1)'),
  'pids-limit': str('Tune container pids limit (set -1 for unlimited)'),
  'cap-add': list('Add Linux capabilities'),
  'cap-drop': list('Drop Linux capabilities'),
  'security-opt': list('Security options (no-new-privileges, seccomp=unconfined|FILE)'),
  'read-only': bool("Mount the container's root filesystem as read only"),
  init: bool('Run an init inside the container that forwards signals and reaps processes'),
  privileged: bool('Give extended privileges to this container'),
  ulimit: list('Ulimit options (NAME=SOFT[:HARD])'),
  sysctl: list('Sysctl options (KEY=VALUE)'),
  label: list('Set meta data on a container (KEY[=VALUE])', { char: 'l' }),
  'label-file': list('Read in a line delimited file of labels'),
  ...networkFlagTable,
  ...portFlagTable,
  'stop-signal': str('Signal to stop the container'),
  'stop-timeout': str('Timeout (in seconds) to stop a container'),
  restart: str('Restart policy: no, always, on-failure[:N], unless-stopped'),
  'health-cmd': str('Command to run to check health'),
  'health-interval': str('Time between running the check (ms|s|m|h)'),
  'health-timeout': str('Maximum time to allow one check to run (ms|s|m|h)'),
  'health-retries': str('Consecutive failures needed to report unhealthy'),
  'health-start-period': str('Start period for the container to initialize (ms|s|m|h)'),
  'health-start-interval': str('Time between running the check during the start period'),
  'no-healthcheck': bool('Disable any container-specified HEALTHCHECK'),
  'shm-size': str('Size of /dev/shm'),
  'group-add': list('Add additional groups to join'),
  'add-host': list('Add a custom host-to-IP mapping (host:ip)'),
  dns: list('Set custom DNS servers'),
  'dns-search': list('Set custom DNS search domains'),
  'dns-option': list('Set DNS options', { aliases: ['dns-opt'] }),
  ipc: str('IPC mode to use'),
  'log-driver': str('Logging driver for the container (json-file, local, none)'),
  'log-opt': list('Log driver options (max-size=10m, max-file=3, compress=true)'),
  interactive: bool('Keep STDIN open even if not attached', { char: 'i' }),
  tty: bool('Allocate a pseudo-TTY', { char: 't' }),
} satisfies FlagTable;
export const runFlagTable = {
  ...createFlagTable,
  detach: bool('Run container in background and print container ID', { char: 'd' }),
  'detach-keys': str('Override the key sequence for detaching a container (ctrl-p,ctrl-q)'),
} satisfies FlagTable;

/** Parsed flags; `detach` only exists for `run`. */
export type RunFlagValues = FlagValues<typeof runFlagTable>;
