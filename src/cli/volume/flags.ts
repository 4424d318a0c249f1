/** The flags of the volume commands, as docker names them. */
import { bool, list, str, type FlagTable } from '../flags/flag-spec';

export const volumeCreateFlagTable = {
  driver: str('Specify volume driver name', { char: 'd', default: 'local' }),
  opt: list('Set driver specific options (type=, device=, o=)', { char: 'o' }),
  label: list('Set metadata for a volume'),
} satisfies FlagTable;

export const volumeLsFlagTable = {
  quiet: bool('Only display volume names', { char: 'q' }),
  format: str("Format output: 'table', 'table TEMPLATE', 'json' or a Go template"),
  filter: list("Provide filter values (e.g. 'dangling=true', 'label=k=v', 'name=part')", { char: 'f' }),
} satisfies FlagTable;

export const volumePruneFlagTable = {
  all: bool('Remove all unused volumes, not just anonymous ones', { char: 'a' }),
  filter: list("Provide filter values (e.g. 'label=<label>')"),
  force: bool('Do not prompt for confirmation', { char: 'f' }),
} satisfies FlagTable;
