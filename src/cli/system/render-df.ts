/**
 * What `system df` prints, as `docker system df` prints it (cli/command/formatter/disk_usage.go):
 * a row per kind (images, containers, local volumes, build cache) with its total, active count,
 * size and what a prune would reclaim; `-v` a table per kind.
 */
import type { DiskUsage } from '../../engine-api/system/types';
import { humanDuration } from '../../common/human-duration';
import { containerContext } from '../container/render-containers';
import { humanSize } from '../format/go-format';
import { renderListing, shortId, type Context, type Listing } from '../format/listing';

const SUMMARY: Listing = {
  table: '{{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}',
  headers: { Type: 'TYPE', TotalCount: 'TOTAL', Active: 'ACTIVE', Size: 'SIZE', Reclaimable: 'RECLAIMABLE' },
};

const IMAGES: Listing = {
  table:
    '{{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}',
  headers: {
    Repository: 'REPOSITORY',
    Tag: 'TAG',
    ID: 'IMAGE ID',
    CreatedSince: 'CREATED',
    Size: 'SIZE',
    SharedSize: 'SHARED SIZE',
    UniqueSize: 'UNIQUE SIZE',
    Containers: 'CONTAINERS',
  },
};

const CONTAINERS: Listing = {
  table:
    '{{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}',
  headers: {
    ID: 'CONTAINER ID',
    Image: 'IMAGE',
    Command: 'COMMAND',
    LocalVolumes: 'LOCAL VOLUMES',
    Size: 'SIZE',
    RunningFor: 'CREATED',
    Status: 'STATUS',
    Names: 'NAMES',
  },
};

const VOLUMES: Listing = {
  table: '{{.Name}}\t{{.Links}}\t{{.Size}}',
  headers: { Name: 'VOLUME NAME', Links: 'LINKS', Size: 'SIZE' },
};

const BUILD_CACHE_HEADER = 'CACHE ID   CACHE TYPE   SIZE      CREATED   LAST USED   USAGE     SHARED\n';

/** `1.2MB (50%)`: the percentage is integer division of the bytes, as docker's. */
function reclaimable(bytes: number, total: number): string {
  return total > 0 ? `${humanSize(bytes, 4)} (${Math.floor((bytes * 100) / total)}%)` : humanSize(bytes, 4);
}

const activeState = (state: string): boolean => /running|paused|restarting/.test(state);

function summaryRows(df: DiskUsage): Context[] {
  const images = df.Images;
  const usedByImages = images
    .filter((i) => (i.Containers ?? 0) !== 0)
    .reduce((n, i) => n + i.Size - (i.SharedSize ?? 0), 0);
  const containersSize = df.Containers.reduce((n, c) => n + c.SizeRw, 0);
  const idleContainers = df.Containers.filter((c) => !activeState(c.State)).reduce((n, c) => n + c.SizeRw, 0);
  const volumesSize = df.Volumes.reduce((n, v) => n + Math.max(0, v.UsageData.Size), 0);
  const idleVolumes = df.Volumes.filter((v) => v.UsageData.RefCount === 0).reduce(
    (n, v) => n + Math.max(0, v.UsageData.Size),
    0,
  );
  return [
    // Keys in the order of their names, as `{{json .}}` writes docker's contexts.
    {
      Active: String(images.filter((i) => (i.Containers ?? 0) > 0).length),
      Reclaimable: reclaimable(df.LayersSize - usedByImages, df.LayersSize),
      Size: humanSize(df.LayersSize, 4),
      TotalCount: String(images.length),
      Type: 'Images',
    },
    {
      Active: String(df.Containers.filter((c) => activeState(c.State)).length),
      Reclaimable: reclaimable(idleContainers, containersSize),
      Size: humanSize(containersSize, 4),
      TotalCount: String(df.Containers.length),
      Type: 'Containers',
    },
    {
      Active: String(df.Volumes.filter((v) => v.UsageData.RefCount > 0).length),
      Reclaimable: reclaimable(idleVolumes, volumesSize),
      Size: humanSize(volumesSize, 4),
      TotalCount: String(df.Volumes.length),
      Type: 'Local Volumes',
    },
    { Active: '0', Reclaimable: '0B', Size: '0B', TotalCount: '0', Type: 'Build Cache' },
  ];
}

function imageRows(df: DiskUsage, now: number): Context[] {
  return df.Images.flatMap((img) => {
    const names = img.RepoTags?.length ? img.RepoTags : ['<none>:<none>'];
    return names.map((name) => {
      const at = name.lastIndexOf(':');
      return {
        Repository: name.slice(0, at),
        Tag: name.slice(at + 1),
        ID: shortId(img.Id),
        CreatedSince: `${humanDuration(now - img.Created * 1000)} ago`,
        Size: humanSize(img.Size),
        SharedSize: humanSize(img.SharedSize ?? 0, 4),
        UniqueSize: humanSize(img.Size - (img.SharedSize ?? 0), 4),
        Containers: String(img.Containers ?? 0),
      };
    });
  });
}

export function renderDiskUsage(
  df: DiskUsage,
  o: { verbose?: boolean; format?: string; now: number },
): string {
  if (!o.verbose) return renderListing(summaryRows(df), o.format, SUMMARY);
  const containers = df.Containers.map((c) => ({
    ...containerContext(c, { now: o.now }),
    Size: humanSize(c.SizeRw, 4),
  }));
  const volumes = df.Volumes.map((v) => ({
    Name: v.Name,
    Links: String(v.UsageData.RefCount),
    Size: humanSize(Math.max(0, v.UsageData.Size), 4),
  }));
  return [
    'Images space usage:\n\n',
    renderListing(imageRows(df, o.now), undefined, IMAGES),
    '\nContainers space usage:\n\n',
    renderListing(containers, undefined, CONTAINERS),
    '\nLocal Volumes space usage:\n\n',
    renderListing(volumes, undefined, VOLUMES),
    '\nBuild cache usage: 0B\n\n',
    BUILD_CACHE_HEADER,
  ].join('');
}
