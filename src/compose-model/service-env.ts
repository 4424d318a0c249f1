/** Each service's env_file values merged under its `environment`, as `docker compose config` shows them. */
import { readEnvFiles, resolveServiceEnvironment } from './env-file';
import type { Lookup } from './interpolate';
import { isObj, type Obj, type ParsedFile } from './source';

export function resolveEnvFiles(pf: ParsedFile, projectDir: string, lookup: Lookup): ParsedFile {
  const services = isObj(pf.tree.services) ? pf.tree.services : undefined;
  if (!services) return pf;
  const out: Obj = {};
  for (const [name, svc] of Object.entries(services)) {
    if (!isObj(svc)) {
      out[name] = svc;
      continue;
    }
    const next: Obj = { ...svc };
    if (svc.env_file !== undefined || svc.environment !== undefined) {
      const fromFiles = readEnvFiles(svc.env_file, projectDir, lookup);
      const env = (isObj(svc.environment) ? svc.environment : {}) as Record<string, string | null>;
      next.environment = resolveServiceEnvironment(env, fromFiles, lookup);
    }
    if (svc.label_file !== undefined) {
      // Label files use the .env format; labels written in the service win.
      next.labels = {
        ...readEnvFiles(svc.label_file, projectDir, () => undefined),
        ...(isObj(svc.labels) ? svc.labels : {}),
      };
    }
    out[name] = next;
  }
  return { ...pf, tree: { ...pf.tree, services: out } };
}
