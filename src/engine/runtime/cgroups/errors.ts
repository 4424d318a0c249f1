import { TscomposeError } from '../../../common/errors';

export class CgroupError extends TscomposeError {
  constructor(message: string, opts: { cause?: unknown; hint?: string } = {}) {
    super(message, { code: 'CGROUP', exitCode: 125, ...opts });
  }
}
