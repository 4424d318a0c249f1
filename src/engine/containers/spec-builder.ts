/**
 * A create request (Docker Engine API body) and its image become the ContainerSpec the runtime
 * executes. Everything docker checks at `create` is checked here, with docker's messages, so a
 * bad request fails before anything is stored; the runtime never second-guesses the spec.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError } from '../../common/errors';
import type { ContainerCreateBody, HostConfig } from '../../engine-api/container/types';
import type { ResolvedImage } from '../images/store';
import type { ContainerSpec } from '../runtime/spec';
import { processArgs, processEnv, withHome, workingDir } from './command';
import { checkUtsName, hostsFile, networkMode, resolvConfFile, type NetworkMode } from './etc-files';
import { resolveExecUser } from './image-users';
import { cgroupLimits, rlimits } from './limits';
import { resolveMounts, type VolumeContext } from './mounts';
import { resolveSecurity } from './security';
import { checkSysctls } from './sysctls';

export const TINI_PATH = '/usr/bin/tini-static';
const DEFAULT_SHM_BYTES = 64 * 1024 * 1024;

export interface BuildSpecInput {
  id: string;
  name: string;
  body: ContainerCreateBody;
  image: ResolvedImage;
  stateDir: string;
  cgroupParent: string;
  /** The host's /etc/hosts and /etc/resolv.conf texts; read from /etc when absent. */
  hostEtc?: { hosts: string; resolvConf: string };
  /** The engine's volumes; without them a request that mounts one is refused. */
  volumes?: Omit<VolumeContext, 'anonymousPaths'>;
}

export function checkInitBinary(file: string = TINI_PATH): string {
  if (!fs.existsSync(file))
    throw new InvalidArgumentError(`init binary not found: ${file} (apt-get install tini)`);
  return file;
}

function ipcMode(mode: string | undefined): 'private' | 'shareable' {
  const m = mode ?? '';
  if (m === '' || m === 'private') return 'private';
  if (m === 'shareable') return 'shareable';
  if (m === 'host' || m === 'none' || m.startsWith('container:')) {
    throw new InvalidArgumentError(`IPC mode "${m}" is not supported yet`);
  }
  throw new InvalidArgumentError(`invalid IPC mode: ${m}`);
}

/** /dev/shm is a tmpfs: one larger than the host's memory could never be filled, only mounted wrong. */
function shmSize(bytes: number | undefined): number {
  if (bytes !== undefined && bytes < 0) throw new InvalidArgumentError('SHM size can not be less than 0');
  const total = os.totalmem();
  if (bytes !== undefined && bytes > total)
    throw new InvalidArgumentError(`SHM size ${bytes} is larger than the host's memory (${total} bytes)`);
  return bytes || DEFAULT_SHM_BYTES;
}

/** docker gives a host-network container the host's name; otherwise the short id. */
function hostnameOf(body: ContainerCreateBody, id: string, mode: NetworkMode): string {
  checkUtsName('hostname', body.Hostname);
  if (body.Hostname) return body.Hostname;
  return mode === 'host' ? os.hostname() : id.slice(0, 12);
}

function readHostFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** docker's [height, width]; 0 (or none) leaves the kernel's 0x0 until the first resize. */
function consoleSize(size: [number, number] | undefined): {
  consoleSize?: { height: number; width: number };
} {
  const [height, width] = size ?? [0, 0];
  return height > 0 && width > 0 ? { consoleSize: { height, width } } : {};
}

export function buildContainerSpec(input: BuildSpecInput): ContainerSpec {
  const { id, body, image, stateDir } = input;
  const hc: HostConfig = body.HostConfig ?? {};
  const imageConfig = image.config.config ?? {};
  const mode = networkMode(hc.NetworkMode);
  const hostname = hostnameOf(body, id, mode);
  checkUtsName('domainname', body.Domainname);
  const domainname = body.Domainname || undefined;
  const args = processArgs(body, imageConfig);
  const cwd = workingDir(body, imageConfig);
  const user = resolveExecUser(image.layerDirs, body.User || imageConfig.User || '', hc.GroupAdd);
  const security = resolveSecurity(hc);
  const hostEtc = input.hostEtc ?? {
    hosts: readHostFile('/etc/hosts'),
    resolvConf: readHostFile('/etc/resolv.conf'),
  };
  const spec: ContainerSpec = {
    id,
    stateDir,
    rootfs: {
      lowerDirs: [...image.layerDirs],
      lowerLinks: [...image.layerLinks],
      linkRoot: image.storeRoot,
      readonly: hc.ReadonlyRootfs === true,
    },
    process: {
      args,
      env: withHome(processEnv(body, imageConfig, hostname), user.home),
      cwd,
      uid: user.uid,
      gid: user.gid,
      additionalGids: user.additionalGids,
      noNewPrivileges: security.noNewPrivileges,
      capabilities: security.capabilities,
      rlimits: rlimits(hc.Ulimits),
      ...(body.Tty ? { terminal: true, ...consoleSize(hc.ConsoleSize) } : {}),
    },
    hostname,
    ...(domainname ? { domainname } : {}),
    etcFiles: {
      hosts: hostsFile(mode, hc, hostEtc.hosts, hostname, domainname),
      resolvConf: resolvConfFile(mode, hc, hostEtc.resolvConf),
      hostname: `${hostname}\n`,
    },
    mounts: resolveMounts(
      hc,
      input.volumes && {
        ...input.volumes,
        anonymousPaths: [...Object.keys(imageConfig.Volumes ?? {}), ...Object.keys(body.Volumes ?? {})],
      },
    ),
    network: { mode },
    ipcMode: ipcMode(hc.IpcMode),
    shmSizeBytes: shmSize(hc.ShmSize),
    sysctls: checkSysctls(hc.Sysctls, mode),
    privileged: security.privileged,
    seccomp: security.seccomp,
    maskedPaths: security.maskedPaths,
    readonlyPaths: security.readonlyPaths,
    cgroup: { parent: input.cgroupParent, name: id, limits: cgroupLimits(hc) },
    stdio: {
      stdoutPath: path.join(stateDir, 'stdout.fifo'),
      stderrPath: path.join(stateDir, 'stderr.fifo'),
      // -i without a terminal; with one, stdin is the terminal.
      ...(body.OpenStdin && !body.Tty ? { stdinPath: path.join(stateDir, 'stdin.fifo') } : {}),
    },
  };
  if (hc.Init) spec.initBinary = checkInitBinary();
  return spec;
}
