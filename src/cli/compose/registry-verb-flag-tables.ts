/**
 * The flags of the compose verbs about images and projects (`images`, `pull`, `push`, `ls`,
 * `version`) as docker compose has them (`cmd/compose/{images,pull,push,list,version}.go`). Each
 * table starts with the global compose flags, which bin/ moves behind the verb.
 */
import { bool, list, str, type FlagTable } from '../flags/flag-spec';
import { composeGlobalFlagTable } from './verb-flag-tables';

export const imagesFlagTable = {
  ...composeGlobalFlagTable,
  format: str('Format the output. Values: [table | json]', { default: 'table' }),
  quiet: bool('Only display IDs', { char: 'q' }),
} satisfies FlagTable;

export const pullFlagTable = {
  ...composeGlobalFlagTable,
  quiet: bool('Pull without printing progress information', { char: 'q' }),
  'include-deps': bool('Also pull services declared as dependencies'),
  'ignore-pull-failures': bool('Pull what it can and ignores images with pull failures'),
  'ignore-buildable': bool('Ignore images that can be built'),
  policy: str('Apply pull policy ("missing"|"always")'),
} satisfies FlagTable;

export const pushFlagTable = {
  ...composeGlobalFlagTable,
  'ignore-push-failures': bool('Push what it can and ignores images with push failures'),
  'include-deps': bool('Also push images of services declared as dependencies'),
  quiet: bool('Push without printing progress information', { char: 'q' }),
} satisfies FlagTable;

export const lsFlagTable = {
  ...composeGlobalFlagTable,
  format: str('Format the output. Values: [table | json]', { default: 'table' }),
  quiet: bool('Only display project names', { char: 'q' }),
  filter: list('Filter output based on conditions provided (name=...)'),
  all: bool('Show all stopped Compose projects', { char: 'a' }),
} satisfies FlagTable;

export const versionFlagTable = {
  ...composeGlobalFlagTable,
  // `version -f` is --format, as in docker compose; a leading `-f` (before the verb) is --file,
  // which bin/ spells long when it moves it behind the verb.
  file: list('Compose configuration files', { helpGroup: 'GLOBAL' }),
  format: str('Format the output. Values: [pretty | json]. (Default: pretty)', { char: 'f' }),
  short: bool("Shows only Compose's version number"),
} satisfies FlagTable;
