/**
 * Whether a parsed container record has the fields the manager reads before it can serve it
 * (list, inspect, recovery): a file of valid JSON and the wrong shape (cut short by a full disk,
 * edited by hand) is set aside like one that is not JSON at all, instead of failing every request
 * that lists containers.
 */
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (o: Obj, k: string): boolean => typeof o[k] === 'string';
const num = (o: Obj, k: string): boolean => typeof o[k] === 'number';
const bool = (o: Obj, k: string): boolean => typeof o[k] === 'boolean';

export function isContainerRecord(v: unknown, id: string): boolean {
  if (!isObj(v) || v.id !== id) return false;
  if (!['name', 'created', 'image', 'imageId', 'logPath'].every((k) => str(v, k))) return false;
  if (!num(v, 'restartCount') || !isObj(v.config) || !isObj(v.hostConfig)) return false;
  const { state, spec } = v;
  if (!isObj(state) || !str(state, 'Status') || !str(state, 'StartedAt') || !str(state, 'FinishedAt'))
    return false;
  if (!bool(state, 'Running') || !num(state, 'Pid') || !num(state, 'ExitCode')) return false;
  if (!isObj(spec) || !isObj(spec.cgroup) || !str(spec.cgroup, 'parent') || !str(spec.cgroup, 'name'))
    return false;
  if (!isObj(spec.process) || !Array.isArray(spec.process.args) || !isObj(spec.stdio)) return false;
  return str(spec.stdio, 'stdoutPath') && str(spec.stdio, 'stderrPath');
}
