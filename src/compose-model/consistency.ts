/**
 * The checks the schema cannot do, on the merged canonical model, worded as compose-go words
 * them and located where the offending value was written.
 */
import { ComposeError } from '../common/errors';
import { DependencyGraph } from './graph';
import { isObj, type Obj, locate, pointer, type ParsedFile } from './source';

const INVALID = 'invalid compose project';

export function checkConsistency(model: ParsedFile): void {
  const tree = model.tree;
  const at = (...p: (string | number)[]) => locate(model.locs, pointer(p));
  const services = isObj(tree.services) ? tree.services : {};
  const declared = (kind: string) => (isObj(tree[kind]) ? (tree[kind] as Obj) : {});
  for (const name of Object.keys(services).sort()) {
    const s = services[name];
    if (!isObj(s)) continue;
    const fail = (msg: string, ...p: (string | number)[]) => {
      throw new ComposeError(msg, at('services', name, ...p));
    };
    if (s.image === undefined && s.build === undefined && s.provider === undefined) {
      fail(`service "${name}" has neither an image nor a build context specified: ${INVALID}`);
    }
    if (s.network_mode !== undefined && s.networks !== undefined) {
      fail(`service ${name} declares mutually exclusive \`network_mode\` and \`networks\``, 'network_mode');
    }
    for (const [dep, d] of Object.entries(isObj(s.depends_on) ? s.depends_on : {})) {
      if (!(dep in services) && !(isObj(d) && d.required === false)) {
        fail(`service "${name}" depends on undefined service "${dep}": ${INVALID}`, 'depends_on', dep);
      }
    }
    for (const key of ['network_mode', 'ipc', 'pid', 'cgroup', 'uts']) {
      const v = s[key];
      if (typeof v === 'string' && v.startsWith('service:') && !(v.slice(8) in services)) {
        fail(`service "${name}" depends on undefined service "${v.slice(8)}": ${INVALID}`, key);
      }
    }
    for (const net of Object.keys(isObj(s.networks) ? s.networks : {})) {
      if (net !== 'default' && !(net in declared('networks'))) {
        fail(`service "${name}" refers to undefined network ${net}: ${INVALID}`, 'networks', net);
      }
    }
    const volumes = Array.isArray(s.volumes) ? s.volumes : [];
    volumes.forEach((v, i) => {
      if (
        isObj(v) &&
        v.type === 'volume' &&
        typeof v.source === 'string' &&
        v.source !== '' &&
        !(v.source in declared('volumes'))
      ) {
        fail(`service "${name}" refers to undefined volume ${v.source}: ${INVALID}`, 'volumes', i);
      }
    });
    for (const kind of ['configs', 'secrets']) {
      const refs = Array.isArray(s[kind]) ? (s[kind] as unknown[]) : [];
      refs.forEach((r, i) => {
        const src = isObj(r) ? String(r.source) : String(r);
        if (!(src in declared(kind)))
          fail(`service "${name}" refers to undefined ${kind.slice(0, -1)} ${src}: ${INVALID}`, kind, i);
      });
    }
    const tmpfs = Array.isArray(s.tmpfs) ? s.tmpfs.map((t) => String(t).split(':')[0]) : [];
    volumes.forEach((v, i) => {
      const j = isObj(v) ? tmpfs.indexOf(String(v.target)) : -1;
      if (j >= 0) {
        fail(
          `services.${name}.volumes[${i}]: target ${String((v as Obj).target)} already mounted as services.${name}.tmpfs[${j}]`,
          'volumes',
          i,
        );
      }
    });
    const replicas = isObj(s.deploy) ? s.deploy.replicas : undefined;
    if (typeof s.scale === 'number' && typeof replicas === 'number' && s.scale !== replicas) {
      fail(
        `services.${name}: can't set distinct values on 'scale' and 'deploy.replicas': ${INVALID}`,
        'scale',
      );
    }
    const scale = typeof s.scale === 'number' ? s.scale : typeof replicas === 'number' ? replicas : 1;
    if (s.container_name !== undefined && scale > 1) {
      fail(
        `services.${name}: can't set container_name and ${name} as container name must be unique: ${INVALID}`,
        'container_name',
      );
    }
    const watch = isObj(s.develop) && Array.isArray(s.develop.watch) ? s.develop.watch : [];
    watch.forEach((w, i) => {
      if (isObj(w) && w.target === undefined && w.action !== 'rebuild' && w.action !== 'restart') {
        fail(
          `services.${name}.develop.watch: target is required for non-rebuild actions: ${INVALID}`,
          'develop',
          'watch',
          i,
        );
      }
    });
  }
  checkCycles(services, at);
}

/** compose-go checks cycles after normalization, so links, volumes_from and `service:` count. */
function checkCycles(services: Obj, at: (...p: (string | number)[]) => ReturnType<typeof locate>): void {
  const cycle = new DependencyGraph(services).findCycle();
  if (cycle)
    throw new ComposeError(cycle.message, at('services', cycle.edge.from, ...cycle.edge.dependency.path));
}
