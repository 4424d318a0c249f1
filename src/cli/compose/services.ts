/** The services a verb names, checked against the project as docker compose checks them. */
import { TscomposeError } from '../../common/errors';
import type { Project } from '../../compose-model/types';

/** A service a profile leaves out may still be named: naming it enables it, as in docker compose. */
export function checkServices(project: Project, services: readonly string[]): void {
  for (const s of services) {
    if (!Object.hasOwn(project.services, s) && !Object.hasOwn(project.disabled, s))
      throw new TscomposeError(`no such service: ${s}`, { code: 'NO_SUCH_SERVICE' });
  }
}
