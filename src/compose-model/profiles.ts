/**
 * Services without `profiles` are always on; others when one of their profiles is active (`*`
 * activates all). A service an enabled service depends on is enabled with it, as docker compose
 * does for the services a command targets.
 */
import { isObj, type Obj, type ParsedFile, type Tree } from './source';

export function applyProfiles(model: ParsedFile, profiles: string[]): { model: ParsedFile; disabled: Tree } {
  const services = isObj(model.tree.services) ? model.tree.services : undefined;
  if (!services) return { model, disabled: {} };
  const all = profiles.includes('*');
  const enabled = new Set<string>();
  for (const [name, svc] of Object.entries(services)) {
    const own = isObj(svc) && Array.isArray(svc.profiles) ? svc.profiles.map(String) : [];
    if (own.length === 0 || all || own.some((p) => profiles.includes(p))) enabled.add(name);
  }
  const queue = [...enabled];
  while (queue.length > 0) {
    const svc: unknown = services[queue.pop() as string];
    const deps: unknown = isObj(svc) ? svc.depends_on : undefined;
    const names: string[] = Array.isArray(deps) ? deps.map(String) : isObj(deps) ? Object.keys(deps) : [];
    for (const d of names) {
      if (d in services && !enabled.has(d)) {
        enabled.add(d);
        queue.push(d);
      }
    }
  }
  const kept: Obj = {};
  const disabled: Obj = {};
  for (const [name, svc] of Object.entries(services)) (enabled.has(name) ? kept : disabled)[name] = svc;
  return { model: { ...model, tree: { ...model.tree, services: kept } }, disabled };
}
