/**
 * What the runtime needs to start one container: everything already resolved (image config
 * merged with the user's options, user names turned into ids, paths absolute). The daemon builds
 * it; the runtime only executes it. Mirrors the shape of an OCI runtime spec where that helps.
 */

export interface MountSpec {
  /** 'bind' | 'tmpfs' | 'overlay' | ... (the filesystem type; bind mounts use 'bind'). */
  type: string;
  source: string;
  /** Absolute path inside the container. */
  target: string;
  /** mount(8)-style options: 'ro', 'rbind', 'nosuid', 'nodev', 'noexec', 'size=64m', 'mode=1777', ... */
  options: string[];
  /** A volume's bind (inspect shows it as a volume); the runtime binds it as any other. */
  volume?: { name: string; mode: string };
}

export interface Rlimit {
  /** RLIMIT name without the prefix, lower case: 'nofile', 'nproc', 'core', ... */
  type: string;
  soft: number;
  hard: number;
}

export interface CgroupLimits {
  memoryBytes?: number; // mem_limit
  memorySwapBytes?: number; // memswap_limit (-1 = unlimited)
  memoryReservationBytes?: number;
  cpuQuotaUs?: number; // with cpuPeriodUs: cpus = quota / period
  cpuPeriodUs?: number;
  cpuShares?: number;
  cpusetCpus?: string;
  cpusetMems?: string;
  pidsLimit?: number;
}

export interface SeccompSpec {
  /** 'default' = the engine's profile; 'unconfined' = none; otherwise a Docker JSON profile already read. */
  mode: 'default' | 'unconfined' | 'custom';
  profile?: unknown;
}

/** One interface of the container on a bridge: a veth whose host end is a port of `bridge`. */
export interface NetworkAttachment {
  /** The name inside the container: eth0, eth1, ... */
  ifName: string;
  /** The host end's name (the engine's tag in it, so a sweep finds it). */
  hostVeth: string;
  bridge: string;
  mtu: number;
  mac: string;
  /** Address and prefix, `172.18.0.2/16`. */
  address: string;
  /** Set on the attachment that carries the default route. */
  gateway?: string;
}

export interface NetworkSpec {
  /** 'container': the network namespace of the running process `joinPid` (docker's container:<name>). */
  mode: 'none' | 'host' | 'bridge' | 'container';
  attach?: NetworkAttachment[];
  joinPid?: number;
  /** Set up inside the namespace once its interfaces are: the embedded DNS server's redirect. */
  rules?: NamespaceRules;
}

/** Kernel settings (paths under /proc/sys, set to 1) and an nftables ruleset for a container's namespace. */
export interface NamespaceRules {
  sysctls: string[];
  nftables: string;
}

export interface ContainerSpec {
  id: string;
  /** Directory for this container's runtime files (overlay upper/work, hosts, resolv.conf, fifos). */
  stateDir: string;
  rootfs: {
    /** Image layer directories, top-most first (overlay lowerdir order). */
    lowerDirs: string[];
    /**
     * The same layers as short links relative to `linkRoot` (the image store), used when the
     * absolute paths would not fit `lowerdir=` in one page.
     */
    lowerLinks?: string[];
    linkRoot?: string;
    readonly: boolean;
  };
  process: {
    args: string[]; // argv, entrypoint + cmd already merged; args[0] resolved on PATH by init
    env: string[]; // KEY=VALUE
    cwd: string;
    uid: number;
    gid: number;
    additionalGids: number[];
    noNewPrivileges: boolean;
    capabilities: string[]; // effective = permitted = bounding = inheritable set, e.g. 'CAP_CHOWN'
    rlimits: Rlimit[];
    /** A pseudo-terminal (made in the container's devpts) as stdin, stdout and stderr. */
    terminal?: boolean;
    /** The terminal's size from the first moment (docker's ConsoleSize). */
    consoleSize?: { height: number; width: number };
  };
  hostname: string;
  domainname?: string;
  /** hosts / resolv.conf / hostname contents written by the daemon into stateDir and bound. */
  etcFiles: { hosts: string; resolvConf: string; hostname: string };
  mounts: MountSpec[];
  network: NetworkSpec;
  ipcMode?: 'private' | 'host' | 'shareable';
  shmSizeBytes: number;
  sysctls: Record<string, string>;
  privileged: boolean;
  seccomp: SeccompSpec;
  maskedPaths: string[];
  readonlyPaths: string[];
  cgroup: { parent: string; name: string; limits: CgroupLimits };
  /** Path of tini-static on the host when `init: true`; bound read-only and run as PID 1. */
  initBinary?: string;
  /**
   * Where the init sends its terminal's master (an abstract unix socket name): set by the
   * runtime in the config of each start of a terminal container, never stored.
   */
  consoleSocket?: string;
  /**
   * Named FIFOs that become the container's stdout and stderr, and its stdin with OpenStdin
   * (without it, /dev/null).
   */
  stdio: { stdoutPath: string; stderrPath: string; stdinPath?: string };
}
