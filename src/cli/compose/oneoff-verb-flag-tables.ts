/**
 * The flags of the compose verbs that reach into a service's containers — `exec`, `run`,
 * `attach`, `top`, `port`, `stats` — as docker compose has them (`cmd/compose/*.go`), as plain
 * data for the oclif commands and the fast path alike. After the verb, `-p` of `run` is
 * --publish (a leading `-p` names the project: bin/ spells it long when it moves it).
 */
import { bool, int, list, str, type FlagTable } from '../flags/flag-spec';
import { composeGlobalFlagTable } from './verb-flag-tables';

const noTty = bool('Disable pseudo-TTY allocation (default: auto-detected)', {
  char: 'T',
  aliases: ['no-tty'],
});

export const composeExecFlagTable = {
  ...composeGlobalFlagTable,
  detach: bool('Detached mode: Run command in the background', { char: 'd' }),
  env: list('Set environment variables', { char: 'e' }),
  index: int('Index of the container if service has multiple replicas'),
  privileged: bool('Give extended privileges to the process'),
  user: str('Run the command as this user', { char: 'u' }),
  'no-TTY': noTty,
  workdir: str('Path to workdir directory for this command', { char: 'w' }),
  // docker compose's hidden -i and -t, both on by default: accepted, changing nothing.
  interactive: bool('Keep STDIN open even if not attached (the default)', { char: 'i' }),
  tty: bool('Allocate a pseudo-TTY (the default when stdin and stdout are terminals)', { char: 't' }),
} satisfies FlagTable;

export const composeRunFlagTable = {
  ...composeGlobalFlagTable,
  'project-name': str('Project name', { helpGroup: 'GLOBAL' }),
  detach: bool('Run container in background and print container ID', { char: 'd' }),
  env: list('Set environment variables', { char: 'e' }),
  label: list('Add or override a label', { char: 'l' }),
  rm: bool('Automatically remove the container when it exits'),
  'no-TTY': noTty,
  name: str('Assign a name to the container'),
  user: str('Run as specified username or uid', { char: 'u' }),
  workdir: str('Working directory inside the container', { char: 'w' }),
  entrypoint: str('Override the entrypoint of the image'),
  'cap-add': list('Add Linux capabilities'),
  'cap-drop': list('Drop Linux capabilities'),
  'no-deps': bool("Don't start linked services"),
  volume: list('Bind mount a volume', { char: 'v' }),
  publish: list("Publish a container's port(s) to the host", { char: 'p' }),
  'use-aliases': bool("Use the service's network useAliases in the network(s) the container connects to"),
  'service-ports': bool("Run command with all service's ports enabled and mapped to the host", {
    char: 'P',
  }),
  pull: str('Pull image before running ("always"|"missing"|"never")', { default: 'policy' }),
  quiet: bool("Don't print anything to STDOUT", { char: 'q' }),
  'quiet-pull': bool('Pull without printing progress information'),
  'remove-orphans': bool('Remove containers for services not defined in the Compose file'),
  build: bool('Build image before starting container'),
  interactive: bool('Keep STDIN open even if not attached (the default)', { char: 'i' }),
  tty: bool('Allocate a pseudo-TTY (the default when stdin and stdout are terminals)', { char: 't' }),
} satisfies FlagTable;

export const composeAttachFlagTable = {
  ...composeGlobalFlagTable,
  'detach-keys': str('Override the key sequence for detaching from a container'),
  index: int('index of the container if service has multiple replicas'),
  'no-stdin': bool('Do not attach STDIN'),
  // docker's is a boolean on by default, turned off as --sig-proxy=false.
  'sig-proxy': str('Proxy all received signals to the process (true|false)', { default: 'true' }),
} satisfies FlagTable;

export const composeTopFlagTable = { ...composeGlobalFlagTable } satisfies FlagTable;

export const composePortFlagTable = {
  ...composeGlobalFlagTable,
  protocol: str('tcp or udp', { default: 'tcp' }),
  index: int('Index of the container if service has multiple replicas'),
} satisfies FlagTable;

export const composeStatsFlagTable = {
  ...composeGlobalFlagTable,
  all: bool('Show all containers (default shows just running)', { char: 'a' }),
  format: str("Format output using a custom template: 'table', 'table TEMPLATE', 'json' or a Go template"),
  'no-stream': bool('Disable streaming stats and only pull the first result'),
  'no-trunc': bool('Do not truncate output'),
} satisfies FlagTable;
