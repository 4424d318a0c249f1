/**
 * The body of `POST /containers/{id}/update` read as dockerd's Go decoder reads its UpdateConfig:
 * nulls absent, a value of the wrong type refused in one line, the restart policy checked.
 */
import { InvalidArgumentError } from '../../common/errors';
import {
  UPDATE_NUMBER_KEYS,
  UPDATE_STRING_KEYS,
  type ContainerUpdateBody,
} from '../../engine-api/container/types';
import { stripNulls } from './body-check';

const POLICIES = new Set(['', 'no', 'always', 'on-failure', 'unless-stopped']);

/** The body as a Go decoder would take it: nulls absent, wrong types refused in one line. */
export function checkUpdateBody(given: unknown): ContainerUpdateBody {
  const raw = stripNulls(given);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new InvalidArgumentError('json: cannot unmarshal into Go value of type container.UpdateConfig');
  const body = raw as Record<string, unknown>;
  const out: ContainerUpdateBody = {};
  for (const key of UPDATE_NUMBER_KEYS) {
    const v = body[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v))
      throw new InvalidArgumentError(
        `json: cannot unmarshal ${typeof v} into Go struct field UpdateConfig.${key} of type int64`,
      );
    out[key] = v;
  }
  for (const key of UPDATE_STRING_KEYS) {
    const v = body[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string')
      throw new InvalidArgumentError(
        `json: cannot unmarshal ${typeof v} into Go struct field UpdateConfig.${key} of type string`,
      );
    out[key] = v;
  }
  const policy = body.RestartPolicy as { Name?: unknown; MaximumRetryCount?: unknown } | null | undefined;
  if (policy) {
    const name = policy.Name ?? '';
    const max = policy.MaximumRetryCount ?? 0;
    if (typeof name !== 'string' || !POLICIES.has(name))
      throw new InvalidArgumentError(`invalid restart policy: unknown policy '${String(name)}'`);
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 0)
      throw new InvalidArgumentError('invalid restart policy: maximum retry count cannot be negative');
    if (max > 0 && name !== 'on-failure')
      throw new InvalidArgumentError(
        `invalid restart policy: maximum retry count can only be used with 'on-failure'`,
      );
    out.RestartPolicy = { Name: name as NonNullable<ContainerUpdateBody['RestartPolicy']>['Name'] };
    if (max > 0) out.RestartPolicy.MaximumRetryCount = max;
  }
  return out;
}
