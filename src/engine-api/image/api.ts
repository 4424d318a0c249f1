/** The local images of the Engine API: import, list, inspect, remove, tag, prune, save and load. */
import type { Readable } from 'node:stream';

export interface ImageSummary {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  Created: number;
  Size: number;
  Labels: Record<string, string>;
}

/** One line of `image rm` and `image prune`, as Docker's API answers. */
export interface ImageDeleteItem {
  Untagged?: string;
  Deleted?: string;
}

/** POST /images/prune */
export interface ImagePruneResponse {
  ImagesDeleted: ImageDeleteItem[] | null;
  SpaceReclaimed: number;
}

export interface ImportOptions {
  /** `repo[:tag]` to tag the result with. */
  repo?: string;
  tag?: string;
  /** Dockerfile instructions: `CMD ["sh"]`, `ENV A=b`, ... */
  changes?: string[];
}

export interface ImageApi {
  importImage(tar: Readable, opts?: ImportOptions): Promise<{ Id: string }>;
  listImages(): Promise<ImageSummary[]>;
  /** The stored config and manifest of an image (`docker image inspect` shape). */
  inspectImage(ref: string): Promise<Record<string, unknown>>;
  removeImage(ref: string, opts?: { force?: boolean }): Promise<ImageDeleteItem[]>;
  /** `docker tag`: repo (and tag, default latest) names the image `source` names. */
  tagImage(source: string, repo: string, tag?: string): Promise<void>;
  /** Dangling images nothing uses; `all`: every image no container uses. */
  pruneImages(opts?: { all?: boolean }): Promise<ImagePruneResponse>;
  /** `docker save`: one tar (a docker archive inside an OCI image layout); fails early for an unknown image. */
  saveImages(refs: string[]): Readable;
  /** `docker load` of a docker archive or OCI layout tar: docker's lines (`Loaded image: busybox:latest`). */
  loadImages(tar: Readable): Promise<string[]>;
}
