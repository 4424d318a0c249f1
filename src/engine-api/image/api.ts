/** The local images of the Engine API: import, list, inspect, remove, tag, prune, save and load. */
import type { Readable } from 'node:stream';

export interface ImageSummary {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  Created: number;
  Size: number;
  Labels: Record<string, string>;
  /** Docker's fields of API 1.41: no parent chain here (""), VirtualSize = Size. */
  ParentId?: string;
  VirtualSize?: number;
  /** -1 (not computed) in the listing; counted by `GET /system/df`. */
  Containers?: number;
  SharedSize?: number;
}

/** One entry of `GET /images/{name}/history`, newest first. */
export interface ImageHistoryItem {
  /** The image's ID on the top entry, `<missing>` on those below. */
  Id: string;
  /** Unix seconds. */
  Created: number;
  CreatedBy: string;
  Tags: string[] | null;
  Size: number;
  Comment: string;
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
  /** `docker import -m`: the history comment (docker's default: `Imported from -`). */
  message?: string;
}

/** Docker's filters of the listing (dangling, label, before, since, reference) or of prune (dangling, until, label, label!). */
export type ImageFilters = Record<string, string[]>;

export interface ImageApi {
  importImage(tar: Readable, opts?: ImportOptions): Promise<{ Id: string }>;
  listImages(opts?: { filters?: ImageFilters }): Promise<ImageSummary[]>;
  /** `docker history`: the layers and their instructions, newest first. */
  imageHistory(ref: string): Promise<ImageHistoryItem[]>;
  /** The stored config and manifest of an image (`docker image inspect` shape). */
  inspectImage(ref: string): Promise<Record<string, unknown>>;
  removeImage(ref: string, opts?: { force?: boolean }): Promise<ImageDeleteItem[]>;
  /** `docker tag`: repo (and tag, default latest) names the image `source` names. */
  tagImage(source: string, repo: string, tag?: string): Promise<void>;
  /** Dangling images nothing uses; `all`: every image no container uses; `filters` narrow it (until, label). */
  pruneImages(opts?: { all?: boolean; filters?: ImageFilters }): Promise<ImagePruneResponse>;
  /** `docker save`: one tar (a docker archive inside an OCI image layout); fails early for an unknown image. */
  saveImages(refs: string[]): Readable;
  /** `docker load` of a docker archive or OCI layout tar: docker's lines (`Loaded image: busybox:latest`). */
  loadImages(tar: Readable): Promise<string[]>;
}
