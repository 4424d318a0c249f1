/**
 * `docker image inspect` as dockerd 20.10 (API 1.41) writes it: every field of its
 * `ImageInspect`, the container configs with Go's zero values (`""`, `false`, `null`) where the
 * image sets nothing and its `omitempty` fields left out, and the overlay directories of the
 * top layer as `GraphDriver.Data`.
 */
import path from 'node:path';
import type { ImageConfigFile, ResolvedImage } from './store';

/** Go's `container.Config` field order; the ones without omitempty always written. */
const ALWAYS: [string, unknown][] = [
  ['Hostname', ''],
  ['Domainname', ''],
  ['User', ''],
  ['AttachStdin', false],
  ['AttachStdout', false],
  ['AttachStderr', false],
  ['ExposedPorts', undefined],
  ['Tty', false],
  ['OpenStdin', false],
  ['StdinOnce', false],
  ['Env', null],
  ['Cmd', null],
  ['Healthcheck', undefined],
  ['ArgsEscaped', undefined],
  ['Image', ''],
  ['Volumes', null],
  ['WorkingDir', ''],
  ['Entrypoint', null],
  ['NetworkDisabled', undefined],
  ['MacAddress', undefined],
  ['OnBuild', null],
  ['Labels', null],
  ['StopSignal', undefined],
  ['StopTimeout', undefined],
  ['Shell', undefined],
];

export function goContainerConfig(config: object | undefined): Record<string, unknown> {
  const given = (config ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, zero] of ALWAYS) {
    const v = given[key];
    if (v !== undefined && v !== null && v !== '') out[key] = v;
    else if (zero !== undefined) out[key] = zero;
  }
  // Fields Go's struct does not know are dropped, as a round trip through dockerd drops them.
  return out;
}

/** What the stored config may hold besides the OCI fields (docker writes them). */
type DockerConfigFile = ImageConfigFile & {
  comment?: string;
  container?: string;
  container_config?: object;
  docker_version?: string;
};

export function inspectShape(
  img: ResolvedImage,
  extra: { repoTags: string[]; repoDigests: string[]; size: number; lastTagTime?: string },
): Record<string, unknown> {
  const c = img.config as DockerConfigFile;
  // Docker's top-layer directories: upper is that layer's files, lower the layers below.
  const [top, ...below] = img.layerDirs;
  const base = top ? path.dirname(top) : '';
  const data = top
    ? {
        ...(below.length ? { LowerDir: below.join(':') } : {}),
        MergedDir: path.join(base, 'merged'),
        UpperDir: top,
        WorkDir: path.join(base, 'work'),
      }
    : null;
  return {
    Id: img.id,
    RepoTags: extra.repoTags,
    RepoDigests: extra.repoDigests,
    Parent: '',
    Comment: c.comment ?? '',
    Created: c.created,
    Container: c.container ?? '',
    ContainerConfig: goContainerConfig(c.container_config),
    DockerVersion: c.docker_version ?? '',
    Author: c.author ?? '',
    Config: goContainerConfig(c.config),
    Architecture: c.architecture,
    ...(c.variant ? { Variant: c.variant } : {}),
    Os: c.os,
    Size: extra.size,
    VirtualSize: extra.size,
    GraphDriver: {
      Data: data,
      Name: 'overlay2',
    },
    RootFS: { Type: 'layers', Layers: c.rootfs.diff_ids },
    Metadata: { LastTagTime: extra.lastTagTime ?? '0001-01-01T00:00:00Z' },
  };
}
