/**
 * `up`'s flags → the compose service's options, refusing the combinations docker compose
 * refuses (`cmd/compose/up.go` validateFlags), in its words.
 */
import { InvalidArgumentError } from '../../common/errors';
import type { Cascade } from '../../compose/attach-project';
import type { UpOptions } from '../../compose/up';
import type { FlagValues } from '../flags/flag-spec';
import type { upFlagTable } from './verb-flag-tables';

export type UpFlags = Partial<FlagValues<typeof upFlagTable>>;

export interface AttachSettings {
  cascade: Cascade;
  exitCodeFrom?: string;
  /** --attach (empty: the default set). */
  attach: string[];
  noAttach: string[];
  attachDependencies: boolean;
}

export interface UpRequest {
  options: UpOptions;
  /** Undefined: detached (-d, --wait, --no-start). */
  attached?: AttachSettings;
}

const PULL = ['always', 'missing', 'never', 'policy', 'build'];

export function parseScale(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) {
    const m = /^([^=]+)=(\d+)$/.exec(v);
    if (!m) throw new InvalidArgumentError(`invalid --scale value "${v}": expected SERVICE=NUM`);
    out[m[1]] = Number(m[2]);
  }
  return out;
}

export function upRequest(flags: UpFlags, services: string[]): UpRequest {
  const cascadeFail = !!flags['abort-on-container-failure'];
  const cascadeStop = !!flags['abort-on-container-exit'] || (!!flags['exit-code-from'] && !cascadeFail);
  const attach = flags.attach ?? [];
  let detach = !!flags.detach;
  if (flags.wait) {
    if (flags['attach-dependencies'] || cascadeStop || attach.length > 0)
      throw new InvalidArgumentError(
        '--wait cannot be combined with --abort-on-container-exit, --attach or --attach-dependencies',
      );
    detach = true;
  }
  if (detach && (flags['attach-dependencies'] || cascadeStop || cascadeFail || attach.length > 0))
    throw new InvalidArgumentError(
      '--detach cannot be combined with --abort-on-container-exit, --abort-on-container-failure, --attach or --attach-dependencies',
    );
  if (flags['force-recreate'] && flags['no-recreate'])
    throw new InvalidArgumentError('--force-recreate and --no-recreate are incompatible');
  if (flags['always-recreate-deps'] && flags['no-recreate'])
    throw new InvalidArgumentError('--always-recreate-deps and --no-recreate are incompatible');
  if (cascadeStop && cascadeFail)
    throw new InvalidArgumentError(
      '--abort-on-container-failure cannot be combined with --abort-on-container-exit',
    );
  if (flags['no-start'] && (cascadeStop || cascadeFail || flags.wait))
    throw new InvalidArgumentError('--no-start cannot be combined with --abort-on-container-exit or --wait');
  const pull = flags.pull ?? 'policy';
  if (!PULL.includes(pull))
    throw new InvalidArgumentError(`invalid --pull option "${pull}" (always, missing, never or policy)`);
  if (flags.build) throw new InvalidArgumentError('--build: building images is not supported yet');
  if (flags['wait-timeout'] !== undefined && flags['wait-timeout'] < 0)
    throw new InvalidArgumentError('--wait-timeout must not be negative');

  const options: UpOptions = {
    create: {
      services,
      noDeps: flags['no-deps'],
      recreate: flags['force-recreate'] ? 'force' : flags['no-recreate'] ? 'never' : 'diverged',
      recreateDependencies: flags['always-recreate-deps']
        ? 'force'
        : flags['no-recreate']
          ? 'never'
          : 'diverged',
      renewAnonVolumes: flags['renew-anon-volumes'],
      removeOrphans: flags['remove-orphans'] || truthy(process.env.COMPOSE_REMOVE_ORPHANS),
      scale: parseScale(flags.scale ?? []),
      // A service to build is planned as its image present or pulled: --pull build is policy.
      pull: pull === 'build' ? 'policy' : (pull as 'always' | 'missing' | 'never' | 'policy'),
      timeoutSeconds: flags.timeout,
    },
    start: flags['no-start']
      ? undefined
      : { wait: flags.wait, waitTimeoutMs: flags['wait-timeout'] ? flags['wait-timeout'] * 1000 : undefined },
    dryRun: flags['dry-run'],
  };
  if (detach || flags['no-start']) return { options };
  return {
    options,
    attached: {
      cascade: cascadeStop ? 'stop' : cascadeFail ? 'fail' : 'ignore',
      exitCodeFrom: flags['exit-code-from'],
      attach,
      noAttach: flags['no-attach'] ?? [],
      attachDependencies: !!flags['attach-dependencies'],
    },
  };
}

export const truthy = (v: string | undefined): boolean => v === '1' || v?.toLowerCase() === 'true';
