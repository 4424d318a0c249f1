/**
 * The flags of `container create` and `container run`, as docker names them. Every value is
 * taken as a string: docker's own parsing (units, ranges, wording of the errors) follows in
 * run-flags.ts, where it can exit 125 as docker does.
 */
import { Flags, Interfaces } from '@oclif/core';

const list = (description: string, extra: { char?: 'e' | 'v' | 'l'; aliases?: string[] } = {}) =>
  Flags.string({ description, multiple: true, multipleNonGreedy: true, ...extra });
const value = Flags.string;
const bool = Flags.boolean;

export const createFlags = {
  name: value({ description: 'Assign a name to the container' }),
  rm: bool({ description: 'Automatically remove the container when it exits' }),
  env: list('Set environment variables (KEY=VALUE, or KEY to take it from here)', { char: 'e' }),
  'env-file': list('Read in a file of environment variables'),
  volume: list('Bind mount a volume (SRC:DST[:OPTS])', { char: 'v' }),
  mount: list('Attach a filesystem mount (type=bind|volume|tmpfs,source=,target=,readonly)'),
  tmpfs: list('Mount a tmpfs directory (PATH[:OPTS])'),
  workdir: value({ char: 'w', description: 'Working directory inside the container' }),
  user: value({ char: 'u', description: 'Username or UID (format: "<name|uid>[:<group|gid>]")' }),
  entrypoint: value({ description: 'Overwrite the default ENTRYPOINT of the image' }),
  hostname: value({ char: 'h', description: 'Container host name' }),
  memory: value({ char: 'm', description: 'Memory limit (512m, 1.5g)' }),
  'memory-swap': value({
    description: "Swap limit equal to memory plus swap: '-1' to enable unlimited swap",
  }),
  'memory-reservation': value({ description: 'Memory soft limit' }),
  cpus: value({ description: 'Number of CPUs' }),
  'cpu-shares': value({ char: 'c', description: 'CPU shares (relative weight)' }),
  'cpu-period': value({ description: 'Limit CPU CFS (Completely Fair Scheduler) period' }),
  'cpu-quota': value({ description: 'Limit CPU CFS (Completely Fair Scheduler) quota' }),
  'cpuset-cpus': value({ description: 'CPUs in which to allow execution (0-3, 0,1)' }),
  'cpuset-mems': value({ description: 'MEMs in which to allow execution (0-3, 0,1)' }),
  'pids-limit': value({ description: 'Tune container pids limit (set -1 for unlimited)' }),
  'cap-add': list('Add Linux capabilities'),
  'cap-drop': list('Drop Linux capabilities'),
  'security-opt': list('Security options (no-new-privileges, seccomp=unconfined|FILE)'),
  'read-only': bool({ description: "Mount the container's root filesystem as read only" }),
  init: bool({ description: 'Run an init inside the container that forwards signals and reaps processes' }),
  privileged: bool({ description: 'Give extended privileges to this container' }),
  ulimit: list('Ulimit options (NAME=SOFT[:HARD])'),
  sysctl: list('Sysctl options (KEY=VALUE)'),
  label: list('Set meta data on a container (KEY[=VALUE])', { char: 'l' }),
  'label-file': list('Read in a line delimited file of labels'),
  network: value({ aliases: ['net'], description: 'Connect a container to a network' }),
  'stop-signal': value({ description: 'Signal to stop the container' }),
  'stop-timeout': value({ description: 'Timeout (in seconds) to stop a container' }),
  restart: value({ description: 'Restart policy: no, always, on-failure[:N], unless-stopped' }),
  'health-cmd': value({ description: 'Command to run to check health' }),
  'health-interval': value({ description: 'Time between running the check (ms|s|m|h)' }),
  'health-timeout': value({ description: 'Maximum time to allow one check to run (ms|s|m|h)' }),
  'health-retries': value({ description: 'Consecutive failures needed to report unhealthy' }),
  'health-start-period': value({ description: 'Start period for the container to initialize (ms|s|m|h)' }),
  'health-start-interval': value({ description: 'Time between running the check during the start period' }),
  'no-healthcheck': bool({ description: 'Disable any container-specified HEALTHCHECK' }),
  'shm-size': value({ description: 'Size of /dev/shm' }),
  'group-add': list('Add additional groups to join'),
  'add-host': list('Add a custom host-to-IP mapping (host:ip)'),
  dns: list('Set custom DNS servers'),
  'dns-search': list('Set custom DNS search domains'),
  'dns-option': list('Set DNS options', { aliases: ['dns-opt'] }),
  ipc: value({ description: 'IPC mode to use' }),
  'log-driver': value({ description: 'Logging driver for the container (json-file, local, none)' }),
  'log-opt': list('Log driver options (max-size=10m, max-file=3, compress=true)'),
  interactive: bool({ char: 'i', description: 'Keep STDIN open even if not attached' }),
  tty: bool({ char: 't', description: 'Allocate a pseudo-TTY' }),
};

export const runFlags = {
  ...createFlags,
  detach: bool({ char: 'd', description: 'Run container in background and print container ID' }),
  'detach-keys': value({
    description: 'Override the key sequence for detaching a container (ctrl-p,ctrl-q)',
  }),
};

/** Parsed flags; `detach` only exists for `run`. */
export type RunFlagValues = Partial<Interfaces.InferredFlags<typeof runFlags>>;
