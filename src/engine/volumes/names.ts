/**
 * Volume names, checked once at the edge (SECURITY.md rule 2): a name becomes a directory of the
 * state root, so only docker's grammar passes, never `/` or `..`.
 */
import crypto from 'node:crypto';
import { InvalidArgumentError } from '../../common/errors';

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
/** Long enough for any name docker makes; a file name must fit 255 bytes. */
const MAX_NAME = 255;

export const ANONYMOUS_LABEL = 'com.docker.volume.anonymous';

export function validateVolumeName(name: string): string {
  if (typeof name !== 'string' || !NAME.test(name) || name.length > MAX_NAME) {
    throw new InvalidArgumentError(
      `create ${name}: "${name}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`,
    );
  }
  return name;
}

/** 64 hex digits, as docker names an anonymous volume. */
export function newVolumeName(): string {
  return crypto.randomBytes(32).toString('hex');
}
