/**
 * The container's init: spawned by the daemon as PID 1 of a new pid namespace, it builds the
 * container around itself on its main thread, synchronously, then execve()s the user's command.
 * The path of the spec (JSON) comes on ctl; see protocol.ts for fds 3 and 4.
 */
import fs from 'node:fs';
import {
  CLONE_NEWCGROUP,
  CLONE_NEWIPC,
  CLONE_NEWNET,
  CLONE_NEWNS,
  CLONE_NEWUTS,
  openNamespace,
  setns,
  unshare,
} from '../../../platform/linux/namespaces';
import { setLinkUp } from '../../../platform/linux/netdev';
import { dup2, setdomainname, sethostname } from '../../../platform/linux/process';
import { checkSeccompSpec } from '../seccomp';
import type { ContainerSpec } from '../spec';
import { connectConsole, takeConsole } from './console';
import { applyCredentials, execProcess, lookPath } from './credentials';
import { applyRules, configureInside } from './network';
import { closeCtl, failAndExit, waitForGo, waitForNetwork } from './report';
import { buildRootfs, finishRootfs, INIT_PATH } from './rootfs';
import { chdirInRoot } from './securejoin';

/** The FIFO as our fd 1 or 2, opened read-write: a FIFO with a reader never raises SIGPIPE. */
function takeOutput(fifo: string, target: number): void {
  const fd = fs.openSync(fifo, 'r+');
  dup2(fd, target);
  fs.closeSync(fd);
}

/**
 * The stdin FIFO, read-only: the daemon holds its only writer, so the daemon closing it (docker's
 * StdinOnce) is EOF here. That writer exists already, so the open does not block.
 */
function takeInput(fifo: string): void {
  const fd = fs.openSync(fifo, 'r');
  dup2(fd, 0);
  fs.closeSync(fd);
}

/** docker's container:<name>: the network namespace of that container's PID 1. */
function joinNetwork(pid: number | undefined): void {
  if (!pid) throw new Error('no container to join the network of');
  const fd = openNamespace(pid, 'net');
  try {
    setns(fd, CLONE_NEWNET);
  } finally {
    fs.closeSync(fd);
  }
}

/** A namespace of our own: loopback up, and the daemon's veths configured once they are in. */
function ownNetwork(spec: ContainerSpec): void {
  setLinkUp('lo');
  const attach = spec.network.attach ?? [];
  if (!attach.length) return;
  waitForNetwork();
  configureInside(attach, true);
  applyRules(spec.network.rules);
}

function main(): never {
  // Spawned ahead, perhaps: the config comes once we are in the container's cgroups (so the
  // cgroup namespace below is rooted there).
  const spec = JSON.parse(fs.readFileSync(waitForGo(true), 'utf8')) as ContainerSpec;
  // A terminal container's output is its pty: the FIFOs stay without a writer.
  const consoleFd = spec.consoleSocket ? connectConsole(spec.consoleSocket) : undefined;
  if (consoleFd === undefined) {
    takeOutput(spec.stdio.stdoutPath, 1);
    takeOutput(spec.stdio.stderrPath, 2);
    if (spec.stdio.stdinPath) takeInput(spec.stdio.stdinPath);
  }
  const filter = checkSeccompSpec(spec.seccomp, spec.process.capabilities);
  const mode = spec.network.mode;
  if (mode === 'container') joinNetwork(spec.network.joinPid);
  const net = mode === 'host' || mode === 'container' ? 0 : CLONE_NEWNET;
  unshare(CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP | net);
  if (net) ownNetwork(spec);
  closeCtl();
  buildRootfs(spec);
  finishRootfs(spec);
  if (consoleFd !== undefined)
    takeConsole(consoleFd, { size: spec.process.consoleSize, uid: spec.process.uid, bindConsole: true });
  sethostname(spec.hostname);
  if (spec.domainname) setdomainname(spec.domainname);
  const args = spec.initBinary ? [INIT_PATH, '--', ...spec.process.args] : spec.process.args;
  const file = lookPath(args[0], spec.process.env);
  try {
    chdirInRoot(spec.process.cwd);
  } catch (err) {
    throw new Error(
      `chdir to cwd ("${spec.process.cwd}") set in config.json failed: ${(err as Error).message}`,
    );
  }
  applyCredentials(spec.process, filter);
  return execProcess(file, args, spec.process.env);
}

try {
  main();
} catch (err) {
  failAndExit(err);
}
