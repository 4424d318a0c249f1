/**
 * `ls` once its flags are read (docker compose's `cmd/compose/list.go`): the projects the engine's
 * containers carry in their labels, `--filter name=` applied as docker's filters match (the exact
 * name, or a regular expression found in it), then rendered. No compose file is read.
 */
import { InvalidArgumentError } from '../../common/errors';
import type { Stack } from '../../compose/ls';
import type { RunFlags } from '../command-descriptor';
import { openEngine } from '../engine-client';
import type { lsFlagTable } from './registry-verb-flag-tables';
import { checkTableOrJson } from './render-images';
import { renderLs } from './render-ls';

/** `--filter` values by key; only `name` is known to docker compose's ls. */
export function lsFilters(values: readonly string[] = []): { name: string[] } {
  const name: string[] = [];
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq < 0) throw new InvalidArgumentError(`bad format of filter (expected name=value): ${v}`);
    const key = v.slice(0, eq).trim().toLowerCase();
    if (key !== 'name') throw new InvalidArgumentError(`invalid filter '${key}'`);
    name.push(v.slice(eq + 1).trim());
  }
  return { name };
}

/** docker's filters.Args.Match: no value, an exact one, or a pattern found in the name. */
export function nameMatches(name: string, wanted: readonly string[]): boolean {
  if (wanted.length === 0 || wanted.includes(name)) return true;
  return wanted.some((w) => {
    try {
      return new RegExp(w).test(name);
    } catch {
      return false;
    }
  });
}

export async function runLs(flags: RunFlags<typeof lsFlagTable>): Promise<number> {
  const { name } = lsFilters(flags.filter);
  if (!flags.quiet) checkTableOrJson(flags.format);
  const { listProjects } = require('../../compose/ls') as typeof import('../../compose/ls');
  const engine = await openEngine(flags);
  const stacks: Stack[] = (await listProjects(engine, { all: flags.all })).filter((s) =>
    nameMatches(s.Name, name),
  );
  process.stdout.write(renderLs(stacks, { format: flags.format, quiet: flags.quiet }));
  return 0;
}
