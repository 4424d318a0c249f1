/**
 * A container's files through the Engine API, as docker's `cp`, `export`, `diff` and `commit`
 * use them: stat, read and write a path (tar streams), the whole root file system as a tar, what
 * changed against the image, and a new image from those changes.
 */
import type { Readable } from 'node:stream';

/** `X-Docker-Container-Path-Stat` (base64 JSON): `mode` is Go's os.FileMode, as the docker CLI decodes it. */
export interface ContainerPathStat {
  name: string;
  size: number;
  mode: number;
  /** RFC 3339 with nanoseconds, as Go writes a time. */
  mtime: string;
  /** For a symlink: where it resolves inside the container (absolute). */
  linkTarget: string;
}

/** One line of `docker diff`: 0 modified, 1 added, 2 deleted. */
export interface ContainerChange {
  Path: string;
  Kind: 0 | 1 | 2;
}

export interface PutArchiveOptions {
  /** Refuse to replace a directory with a non-directory and the other way round. */
  noOverwriteDirNonDir?: boolean;
  /** Keep the tar's owners (`cp -a`); otherwise everything is owned by root. */
  copyUIDGID?: boolean;
}

export interface CommitOptions {
  container: string;
  repo?: string;
  tag?: string;
  comment?: string;
  author?: string;
  /** Dockerfile instructions: `CMD ["sh"]`, `ENV A=b`, ... */
  changes?: string[];
  /** Freeze a running container while its changes are read (docker's default). */
  pause?: boolean;
}

export interface ArchiveApi {
  statContainerPath(id: string, path: string): Promise<ContainerPathStat>;
  /** A tar of `path` (its entries named after the path's last component) and its stat. */
  getContainerArchive(id: string, path: string): Promise<{ stat: ContainerPathStat; tar: Readable }>;
  /** Extracts `tar` into the directory `path`. */
  putContainerArchive(id: string, path: string, tar: Readable, opts?: PutArchiveOptions): Promise<void>;
  /** The container's whole root file system, without what the engine mounts into it. */
  exportContainer(id: string): Promise<Readable>;
  containerChanges(id: string): Promise<ContainerChange[]>;
  commitContainer(opts: CommitOptions): Promise<{ Id: string }>;
}
