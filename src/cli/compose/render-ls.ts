/**
 * What `ls` prints, as docker compose prints it (`cmd/compose/list.go`): the table NAME STATUS
 * CONFIG FILES, `json` as one array of `{Name, Status, ConfigFiles}`, `-q` the names.
 */
import type { Stack } from '../../compose/ls';
import { checkTableOrJson, composeTable } from './render-images';

export function renderLs(stacks: readonly Stack[], o: { format: string; quiet?: boolean }): string {
  if (o.quiet) return stacks.map((s) => `${s.Name}\n`).join('');
  if (checkTableOrJson(o.format) === 'json') return `${JSON.stringify(stacks)}\n`;
  return composeTable([
    ['NAME', 'STATUS', 'CONFIG FILES'],
    ...stacks.map((s) => [s.Name, s.Status, s.ConfigFiles]),
  ]);
}
