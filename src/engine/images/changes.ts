/** `--change 'CMD ["sh"]'` style Dockerfile instructions applied to an image config, as `docker import` does. */
import { TscomposeError } from '../../common/errors';

export interface ImageConfig {
  Cmd?: string[];
  Entrypoint?: string[];
  Env?: string[];
  WorkingDir?: string;
  User?: string;
  ExposedPorts?: Record<string, object>;
  Volumes?: Record<string, object>;
  Labels?: Record<string, string>;
  StopSignal?: string;
}

const INSTRUCTIONS = new Set([
  'CMD',
  'ENTRYPOINT',
  'ENV',
  'WORKDIR',
  'USER',
  'EXPOSE',
  'LABEL',
  'STOPSIGNAL',
  'VOLUME',
]);

export function applyChanges(config: ImageConfig, changes: string[]): ImageConfig {
  const out: ImageConfig = structuredClone(config);
  for (const change of changes) {
    const m = /^\s*(\w+)\s+([\s\S]*)$/.exec(change);
    const op = m?.[1].toUpperCase();
    if (!m || !op || !INSTRUCTIONS.has(op)) {
      throw new TscomposeError(`${JSON.stringify(change)} is not a valid change command`, {
        code: 'BAD_CHANGE',
        exitCode: 125,
      });
    }
    const arg = m[2].trim();
    switch (op) {
      case 'CMD':
        out.Cmd = commandForm(arg);
        break;
      case 'ENTRYPOINT':
        out.Entrypoint = commandForm(arg);
        break;
      case 'ENV':
        for (const [k, v] of pairs(arg))
          out.Env = [...(out.Env ?? []).filter((e) => !e.startsWith(`${k}=`)), `${k}=${v}`];
        break;
      case 'LABEL':
        for (const [k, v] of pairs(arg)) out.Labels = { ...out.Labels, [k]: v };
        break;
      case 'WORKDIR':
        out.WorkingDir = arg;
        break;
      case 'USER':
        out.User = arg;
        break;
      case 'STOPSIGNAL':
        out.StopSignal = arg;
        break;
      case 'EXPOSE':
        for (const p of arg.split(/\s+/))
          out.ExposedPorts = { ...out.ExposedPorts, [p.includes('/') ? p : `${p}/tcp`]: {} };
        break;
      case 'VOLUME':
        for (const v of arg.startsWith('[') ? (JSON.parse(arg) as string[]) : arg.split(/\s+/))
          out.Volumes = { ...out.Volumes, [v]: {} };
        break;
    }
  }
  return out;
}

/** JSON (exec) form as written; anything else is the shell form. */
function commandForm(arg: string): string[] {
  if (arg.startsWith('[')) {
    try {
      const v = JSON.parse(arg) as unknown;
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    } catch {
      // not JSON: shell form, as docker falls back
    }
  }
  return ['/bin/sh', '-c', arg];
}

/** `K=V K2="v 2"` or the legacy `K V`. */
function pairs(arg: string): [string, string][] {
  if (!arg.includes('=')) {
    const sp = arg.search(/\s/);
    return sp < 0 ? [[arg, '']] : [[arg.slice(0, sp), arg.slice(sp).trim()]];
  }
  const out: [string, string][] = [];
  for (const m of arg.matchAll(/([^\s=]+)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    const v = m[2].startsWith('"') ? (JSON.parse(m[2]) as string) : m[2];
    out.push([m[1], v]);
  }
  return out;
}
