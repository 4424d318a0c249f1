/**
 * The exec helper: spawned by the daemon inside the container's pid namespace, it joins the
 * container's other namespaces (every ns fd opened before the mount namespace changes what
 * /proc is), drops to the exec's credentials and execve()s the command. Same fds as init.
 */
import fs from 'node:fs';
import {
  CLONE_FS,
  NS_TYPES,
  openNamespace,
  setns,
  unshare,
  type NsName,
} from '../../../platform/linux/namespaces';
import { checkSeccompSpec } from '../seccomp';
import { connectConsole, takeConsole } from '../init/console';
import { applyCredentials, ExecLookupError, execProcess, lookPath } from '../init/credentials';
import { failAndExit, waitForGo } from '../init/report';
import { chdirInRoot } from '../init/securejoin';
import type { ExecSpec } from './spec';

const JOIN_ORDER: NsName[] = ['cgroup', 'ipc', 'uts', 'net', 'mnt'];

function main(): never {
  const configPath = waitForGo();
  const spec = JSON.parse(fs.readFileSync(configPath, 'utf8')) as ExecSpec;
  fs.rmSync(configPath, { force: true });
  const filter = checkSeccompSpec(spec.seccomp, spec.process.capabilities);
  const fds = JOIN_ORDER.map((name) => [name, openNamespace(spec.initPid, name)] as const);
  unshare(CLONE_FS); // setns into a mount namespace refuses a shared fs_struct
  // Connected while in the host's network namespace, where the daemon listens.
  const consoleFd = spec.consoleSocket ? connectConsole(spec.consoleSocket) : undefined;
  for (const [name, fd] of fds) setns(fd, NS_TYPES[name]);
  if (consoleFd !== undefined)
    takeConsole(consoleFd, { size: spec.consoleSize, uid: spec.process.uid, bindConsole: false });
  const file = lookPath(spec.process.args[0], spec.process.env);
  try {
    chdirInRoot(spec.process.cwd);
  } catch (err) {
    throw new ExecLookupError(`chdir to cwd ("${spec.process.cwd}") failed: ${(err as Error).message}`, 126);
  }
  applyCredentials(spec.process, filter);
  return execProcess(file, spec.process.args, spec.process.env);
}

try {
  main();
} catch (err) {
  failAndExit(err);
}
