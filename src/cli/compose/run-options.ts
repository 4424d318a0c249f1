/**
 * `run`'s flags → the compose service's RunOptions, refusing what docker compose refuses
 * (`cmd/compose/run.go`) in its words: -e values resolved against the project's environment
 * (a bare KEY that is set nowhere is dropped), -l as KEY=VALUE, --entrypoint split as a shell
 * splits it, -p and -v in the compose file's short syntax.
 */
import path from 'node:path';
import { InvalidArgumentError } from '../../common/errors';
import type { PortConfig, ServiceVolumeConfig } from '../../compose-model/project-types';
import { splitShellWords } from '../../compose-model/shell-words';
import { parsePort } from '../../compose-model/short-ports';
import { parseServiceVolume } from '../../compose-model/short-volumes';
import type { Project } from '../../compose-model/types';
import type { RunOptions } from '../../compose/run';
import type { RunFlags } from '../command-descriptor';
import { wantsTty } from './exec';
import type { composeRunFlagTable } from './oneoff-verb-flag-tables';

export type ComposeRunFlags = RunFlags<typeof composeRunFlagTable>;

const PULL = ['always', 'missing', 'never', 'policy'];

/** What the flags alone can refuse, before the project is loaded. */
export function checkRunFlags(flags: ComposeRunFlags): void {
  if (flags.publish?.length && flags['service-ports'])
    throw new InvalidArgumentError('--service-ports and --publish are incompatible');
  if (!PULL.includes(flags.pull))
    throw new InvalidArgumentError(
      `invalid --pull option "${flags.pull}" (always, missing, never or policy)`,
    );
  if (flags.build) throw new InvalidArgumentError('--build: building images is not supported yet');
}

export function runOptions(flags: ComposeRunFlags, project: Project, operands: string[]): RunOptions {
  const [service, ...command] = operands;
  return {
    service,
    command: command.length ? command : undefined,
    entrypoint: flags.entrypoint === undefined ? undefined : splitShellWords(flags.entrypoint),
    name: flags.name,
    environment: flags.env?.length ? environment(flags.env, project.environment) : undefined,
    labels: flags.label?.length ? labels(flags.label) : undefined,
    user: flags.user,
    workingDir: flags.workdir,
    capAdd: flags['cap-add'],
    capDrop: flags['cap-drop'],
    volumes: flags.volume?.map((v) => volume(v, project.workingDir)),
    ports: flags.publish?.length ? flags.publish.flatMap(port) : flags['service-ports'] ? 'service' : 'none',
    useAliases: flags['use-aliases'],
    autoRemove: flags.rm,
    tty: flags.detach ? false : wantsTty(flags['no-TTY']),
    interactive: true,
    noDeps: flags['no-deps'],
    removeOrphans: flags['remove-orphans'],
    pull: flags.pull as RunOptions['pull'],
  };
}

function environment(values: string[], env: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq > 0) out[v.slice(0, eq)] = v.slice(eq + 1);
    else if (eq < 0 && env[v] !== undefined) out[v] = env[v];
    else if (eq === 0) throw new InvalidArgumentError(`invalid environment variable: ${v}`);
  }
  return out;
}

function labels(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq < 0) throw new InvalidArgumentError('label must be set as KEY=VALUE');
    out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

function port(spec: string): PortConfig[] {
  return parsePort(spec).map((p) => ({
    hostIp: p.host_ip,
    target: p.target,
    published: p.published,
    protocol: p.protocol,
  }));
}

/** A relative bind source is the project directory's, as the compose file's own are. */
function volume(spec: string, workingDir: string): ServiceVolumeConfig {
  const v = parseServiceVolume(spec);
  const source = v.type === 'bind' && v.source ? path.resolve(workingDir, v.source) : v.source;
  const bind = v.bind as { propagation?: string; selinux?: string } | undefined;
  const vol = v.volume as { nocopy?: boolean } | undefined;
  return {
    type: v.type,
    source,
    target: v.target,
    readOnly: v.read_only === true || undefined,
    bind: bind ? { propagation: bind.propagation, selinux: bind.selinux } : undefined,
    volume: vol ? { nocopy: vol.nocopy } : undefined,
  };
}
