/** The variables a model refers to, for `config --variables`. */
import { OverrideTag, ResetTag } from './source';

export interface VariableInfo {
  name: string;
  required: boolean;
  defaultValue?: string;
  alternateValue?: string;
}

const REF =
  /\$\$|\$\{([_a-zA-Z][_a-zA-Z0-9.]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|\$([_a-zA-Z][_a-zA-Z0-9]*)/g;

export function listVariables(tree: Record<string, unknown>): VariableInfo[] {
  const found = new Map<string, VariableInfo>();
  const scan = (s: string) => {
    for (const m of s.matchAll(REF)) {
      if (m[0] === '$$') continue;
      const name = m[1] ?? m[4];
      const op = m[2];
      const info: VariableInfo = { name, required: op === '?' || op === ':?' };
      if (op === '-' || op === ':-') info.defaultValue = m[3];
      if (op === '+' || op === ':+') info.alternateValue = m[3];
      const prev = found.get(name);
      if (!prev || (!prev.defaultValue && info.defaultValue) || info.required)
        found.set(name, { ...prev, ...info });
      if (m[3]) scan(m[3]);
    }
  };
  const walk = (v: unknown): void => {
    if (v instanceof ResetTag || v instanceof OverrideTag) walk(v.value);
    else if (typeof v === 'string') scan(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(tree);
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
