/** What `image ls` prints, as `docker images` prints it: a row for each tag of each image. */
import type { ImageSummary } from '../../engine-api/image/api';
import { humanDuration } from '../../common/human-duration';
import { familiarName, parseReference } from '../../common/image-reference';
import { renderListing, shortId, type Context, type Listing } from '../format/listing';
import { goTimeString, humanSize } from '../format/go-format';
import type { ListOptions } from '../format/listing';

const IMAGE_LISTING: Listing = {
  table: '{{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}',
  headers: {
    Repository: 'REPOSITORY',
    Tag: 'TAG',
    Digest: 'DIGEST',
    ID: 'IMAGE ID',
    CreatedSince: 'CREATED',
    CreatedAt: 'CREATED AT',
    Size: 'SIZE',
    Containers: 'CONTAINERS',
    SharedSize: 'SHARED SIZE',
    UniqueSize: 'UNIQUE SIZE',
    VirtualSize: 'VIRTUAL SIZE',
  },
};

/** `repo:tag` (or `repo@digest`) → [familiar repo, tag or digest]. */
function splitRef(ref: string, sep: ':' | '@'): [string, string] {
  const at = sep === '@' ? ref.indexOf('@') : ref.lastIndexOf(':');
  if (at < 0 || (sep === ':' && at < ref.lastIndexOf('/'))) return [ref, '<none>'];
  let repo = ref.slice(0, at);
  try {
    repo = familiarName({ ...parseReference(repo), tag: undefined });
  } catch {
    // Not a reference we can shorten: shown as stored.
  }
  return [repo, ref.slice(at + 1)];
}

/** [repository, tag, digest] rows: `<none>` where an image has no name, as docker's. */
function imageRows(img: ImageSummary): [string, string, string][] {
  const tags = (img.RepoTags ?? []).filter((t) => t !== '<none>:<none>').map((t) => splitRef(t, ':'));
  const digests = (img.RepoDigests ?? []).filter((d) => d !== '<none>@<none>').map((d) => splitRef(d, '@'));
  const digestOf = (repo: string): string => digests.find(([r]) => r === repo)?.[1] ?? '<none>';
  if (tags.length > 0) return tags.map(([repo, tag]) => [repo, tag, digestOf(repo)]);
  if (digests.length > 0) return digests.map(([repo, digest]) => [repo, '<none>', digest]);
  return [['<none>', '<none>', '<none>']];
}

function imageContexts(img: ImageSummary, o: ListOptions): Context[] {
  const since = img.Created > 0 ? `${humanDuration(o.now - img.Created * 1000)} ago` : 'N/A';
  return imageRows(img).map(([Repository, Tag, Digest]) => ({
    Containers: 'N/A',
    // As for containers (render-containers.ts): only when a format shows it.
    get CreatedAt() {
      return goTimeString(img.Created, o.timeZone);
    },
    CreatedSince: since,
    Digest,
    ID: o.noTrunc ? img.Id : shortId(img.Id),
    Repository,
    SharedSize: 'N/A',
    Size: humanSize(img.Size),
    Tag,
    UniqueSize: 'N/A',
    VirtualSize: humanSize(img.Size, 4),
  }));
}

export function renderImageList(images: ImageSummary[], o: ListOptions): string {
  const newestFirst = [...images].sort((a, b) => b.Created - a.Created);
  const items = newestFirst.flatMap((img) => imageContexts(img, o));
  if (o.quiet) return items.map((i) => `${i.ID}\n`).join('');
  return renderListing(items, o.format, IMAGE_LISTING);
}
