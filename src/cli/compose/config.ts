/** `config` once its flags are read: the project loaded as docker compose loads it, then printed. */
import fs from 'node:fs';
import { loadProject } from '../../compose-model/loader';
import { listVariables } from '../../compose-model/variables';
import { loadOptionsFromFlags, type ComposeGlobalValues } from './project-from-flags';
import { renderConfig, type ConfigFlags } from './render-config';

export interface ConfigCommandFlags extends ComposeGlobalValues, ConfigFlags {
  quiet?: boolean;
  output?: string;
  'no-normalize'?: boolean;
  'no-path-resolution'?: boolean;
  'no-consistency'?: boolean;
}

export function showConfig(flags: ConfigCommandFlags): void {
  const opts = loadOptionsFromFlags(flags, {
    interpolate: !flags['no-interpolate'],
    normalize: !flags['no-normalize'],
    resolvePaths: !flags['no-path-resolution'],
    consistency: !flags['no-consistency'],
  });
  if (flags.variables) opts.interpolate = false;
  const project = loadProject(opts);
  const text = renderConfig(project, flags, listVariables);
  if (flags.quiet) return;
  if (flags.output) fs.writeFileSync(flags.output, text);
  else process.stdout.write(text);
}
