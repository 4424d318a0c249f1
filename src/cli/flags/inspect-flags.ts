/** The flag of `container inspect` and `image inspect`. */
import { str, type FlagTable } from './flag-spec';

export const inspectFlagTable = {
  format: str(
    "Format output: 'json' (one line) or a Go template such as '{{.State.Status}}' or '{{json .Config}}'",
    { char: 'f' },
  ),
} satisfies FlagTable;
