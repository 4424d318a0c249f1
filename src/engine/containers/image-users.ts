/**
 * `user: name:group` turned into numeric ids with the image's own /etc/passwd and /etc/group, by
 * runc's rules (libcontainer/user GetExecUser), which docker applies at create time: numbers
 * need no entry, names must have one, and the supplementary groups are those listing the user
 * unless a group was given explicitly.
 */
import { InvalidArgumentError } from '../../common/errors';
import { readImageFile } from './layer-files';

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

export interface ExecUser {
  uid: number;
  gid: number;
  additionalGids: number[];
  home: string;
}

const MAX_ID = 2 ** 31 - 1;

function fields(text: string): string[][] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.split(':'));
}

const numeric = (s: string): number | undefined => (/^-?\d+$/.test(s) ? Number(s) : undefined);

export function parsePasswd(text: string): PasswdEntry[] {
  return fields(text).map(([name = '', , uid = '', gid = '', , home = '']) => ({
    name,
    uid: numeric(uid) ?? 0,
    gid: numeric(gid) ?? 0,
    home,
  }));
}

export function parseGroup(text: string): GroupEntry[] {
  return fields(text).map(([name = '', , gid = '', members = '']) => ({
    name,
    gid: numeric(gid) ?? 0,
    members: members.split(',').filter(Boolean),
  }));
}

function checkRange(id: number): number {
  if (id < 0 || id > MAX_ID) throw new InvalidArgumentError(`uids and gids must be in range 0-${MAX_ID}`);
  return id;
}

/** A gid needs no entry; a group name must have one. */
function groupId(groups: GroupEntry[], arg: string, notFound: string): number {
  const gid = numeric(arg) ?? groups.find((g) => g.name === arg)?.gid;
  if (gid === undefined)
    throw new InvalidArgumentError(`${notFound} ${arg}: no matching entries in group file`);
  return checkRange(gid);
}

/** No user is root, which still takes its gid, home and groups from the image's files. */
function findUser(passwd: PasswdEntry[], userArg: string): Omit<PasswdEntry, 'name'> & { name?: string } {
  const uid = userArg === '' ? 0 : numeric(userArg);
  const entry = passwd.find((u) => (uid === undefined ? u.name === userArg : u.uid === uid));
  if (entry) return { ...entry, uid: checkRange(entry.uid), gid: checkRange(entry.gid) };
  if (uid === undefined) {
    throw new InvalidArgumentError(`unable to find user ${userArg}: no matching entries in passwd file`);
  }
  return { uid: checkRange(uid), gid: 0, home: '/' };
}

/** `spec` is `user[:group]` with names or ids; `groupAdd` is HostConfig.GroupAdd. */
export function resolveExecUser(
  layerDirs: readonly string[],
  spec: string,
  groupAdd: readonly string[] = [],
): ExecUser {
  const passwd = parsePasswd(readImageFile(layerDirs, '/etc/passwd') ?? '');
  const groups = parseGroup(readImageFile(layerDirs, '/etc/group') ?? '');
  const colon = spec.indexOf(':');
  const userArg = colon < 0 ? spec : spec.slice(0, colon);
  const groupArg = colon < 0 ? '' : spec.slice(colon + 1);

  const { name: userName, ...user } = findUser(passwd, userArg);
  const out: ExecUser = { ...user, additionalGids: [] };

  if (groupArg !== '') {
    out.gid = groupId(groups, groupArg, 'unable to find group');
  } else if (userName !== undefined) {
    const name = userName;
    out.additionalGids = groups.filter((g) => g.members.includes(name)).map((g) => checkRange(g.gid));
  }
  // runc's wording differs in case for these two lookups; docker shows both as they are.
  for (const extra of groupAdd) out.additionalGids.push(groupId(groups, extra, 'Unable to find group'));
  out.additionalGids = [...new Set(out.additionalGids)];
  return out;
}
