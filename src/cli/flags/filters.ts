/** `-f key=value` flags → the engine's filters: values of one key OR'ed, keys AND'ed (docker's). */
import { TscomposeError } from '../../common/errors';

export function parseFilters(args: string[] | undefined): Record<string, string[]> | undefined {
  if (!args || args.length === 0) return undefined;
  const filters: Record<string, string[]> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0)
      throw new TscomposeError('bad format of filter (expected name=value)', { code: 'BAD_FILTER' });
    const key = arg.slice(0, eq).trim().toLowerCase();
    (filters[key] ??= []).push(arg.slice(eq + 1).trim());
  }
  return filters;
}
