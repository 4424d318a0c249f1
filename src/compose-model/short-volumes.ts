/** Service volume short syntax (`source:target:options`) → the long form compose-go produces. */
import { ComposeError } from '../common/errors';
import type { Loc } from './source';

export type VolumeConfig = Record<string, unknown> & { type: string; target?: string; source?: string };

const PROPAGATION = new Set(['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate']);

export function parseServiceVolume(value: unknown, loc?: Loc): VolumeConfig {
  if (value && typeof value === 'object') {
    const v = value as VolumeConfig;
    if (v.type === 'bind' && (v.source === undefined || v.source === '')) {
      throw new ComposeError('invalid mount config for type "bind": field Source must not be empty', loc);
    }
    return v;
  }
  const s = String(value);
  const parts = s.split(':');
  if (parts.length === 1) return { type: 'volume', target: s, volume: {} };
  if (parts.length > 3) throw new ComposeError(`invalid spec: ${s}: too many colons`, loc);
  const [source, target, options = ''] = parts;
  if (source === '') throw new ComposeError(`invalid spec: ${s}: empty section between colons`, loc);
  const isPath = /^[./~]/.test(source);
  const out: VolumeConfig = { type: isPath ? 'bind' : 'volume', source, target };
  const bind: Record<string, unknown> = {};
  const volume: Record<string, unknown> = {};
  for (const opt of options.split(',').filter(Boolean)) {
    if (opt === 'ro') out.read_only = true;
    else if (opt === 'rw') continue;
    else if (opt === 'z' || opt === 'Z') bind.selinux = opt;
    else if (opt === 'nocopy') volume.nocopy = true;
    else if (PROPAGATION.has(opt)) bind.propagation = opt;
    else throw new ComposeError(`invalid spec: ${s}: unknown option ${JSON.stringify(opt)}`, loc);
  }
  if (out.type === 'bind') out.bind = bind;
  else out.volume = volume;
  return out;
}
