/**
 * `version` (docker compose's `cmd/compose/version.go`): `tscompose version vX.Y.Z`, `{"version":
 * "vX.Y.Z"}` with `--format json`, the bare number with `--short`. The engine's version is
 * `engine status`'s business.
 */
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../../common/errors';

/** The package's version, read from its package.json (without loading oclif). */
export function packageVersion(): string {
  const pkg = path.resolve(__dirname, '..', '..', '..', '..', 'package.json');
  return (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version?: string }).version || '0.0.0';
}

export function versionText(version: string, o: { format?: string; short?: boolean }): string {
  const v = `v${version.replace(/^v/, '')}`;
  if (o.short) return `${v.slice(1)}\n`;
  const format = o.format ?? '';
  if (format === 'json') return `${JSON.stringify({ version: v })}\n`;
  if (format !== '' && format !== 'pretty')
    throw new InvalidArgumentError(`invalid --format "${format}" (pretty or json)`);
  return `tscompose version ${v}\n`;
}
