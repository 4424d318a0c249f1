/** What `config` prints for each of its flags. */
import type { Project } from '../../compose-model/loader';
import { orderModel, toJson, toYaml } from '../../compose-model/serialize';
import { serviceConfigHash } from '../../compose-model/config-hash';
import { TscomposeError } from '../../common/errors';
import type { VariableInfo } from '../../compose-model/variables';

export interface ConfigFlags {
  format: string;
  services?: boolean;
  volumes?: boolean;
  networks?: boolean;
  images?: boolean;
  profiles?: boolean;
  variables?: boolean;
  environment?: boolean;
  hash?: string;
  'no-interpolate'?: boolean;
}

type Services = Record<string, Record<string, unknown>>;

const lines = (xs: string[]): string => xs.map((x) => `${x}\n`).join('');

export function renderConfig(
  project: Project,
  flags: ConfigFlags,
  listVariables: (tree: Record<string, unknown>) => VariableInfo[],
): string {
  const model = project.model;
  const services = (model.services ?? {}) as Services;
  if (flags.services) return lines(Object.keys(services).sort());
  if (flags.volumes) return lines(Object.keys(model.volumes ?? {}).sort());
  if (flags.networks) return lines(Object.keys(model.networks ?? {}).sort());
  if (flags.images) {
    return lines(
      Object.keys(services)
        .sort()
        .map((name) => (services[name].image as string | undefined) ?? `${project.name}-${name}`),
    );
  }
  if (flags.profiles) {
    const all = { ...services, ...(project.disabledServices as Services) };
    const names = new Set(Object.values(all).flatMap((s) => (s.profiles as string[] | undefined) ?? []));
    return lines([...names].sort());
  }
  if (flags.environment) {
    return lines(
      Object.keys(project.environment)
        .sort()
        .map((k) => `${k}=${project.environment[k]}`),
    );
  }
  if (flags.variables) return renderVariables(listVariables(model), flags.format);
  if (flags.hash !== undefined) {
    const wanted =
      flags.hash === '*' ? Object.keys(services).sort() : flags.hash.split(',').map((s) => s.trim());
    return lines(
      wanted.map((name) => {
        const svc = services[name];
        if (!svc) throw new TscomposeError(`no such service: ${name}`, { code: 'NO_SUCH_SERVICE' });
        return `${name} ${serviceConfigHash(svc)}`;
      }),
    );
  }
  const ordered = orderModel(model, !flags['no-interpolate']);
  return flags.format === 'json' ? toJson(ordered) : toYaml(ordered);
}

function renderVariables(vars: VariableInfo[], format: string): string {
  if (format === 'json') {
    const out: Record<string, unknown> = {};
    for (const v of vars) {
      out[v.name] = {
        Name: v.name,
        DefaultValue: v.defaultValue ?? '',
        AlternateValue: v.alternateValue ?? '',
        Required: v.required,
      };
    }
    return JSON.stringify(out, null, 2) + '\n';
  }
  const rows = [['NAME', 'REQUIRED', 'DEFAULT VALUE', 'ALTERNATE VALUE']];
  for (const v of vars) rows.push([v.name, String(v.required), v.defaultValue ?? '', v.alternateValue ?? '']);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return lines(
    rows.map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join('   ')
        .trimEnd(),
    ),
  );
}
