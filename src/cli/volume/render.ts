/** What `volume ls` prints, as `docker volume ls` prints it. */
import type { Volume } from '../../engine-api/volume/types';
import { renderListing, type Context, type Listing } from '../format/listing';

const VOLUME_LISTING: Listing = {
  table: '{{.Driver}}\t{{.Name}}',
  headers: {
    Name: 'VOLUME NAME',
    Driver: 'DRIVER',
    Scope: 'SCOPE',
    Mountpoint: 'MOUNTPOINT',
    Labels: 'LABELS',
    Links: 'LINKS',
    Size: 'SIZE',
    CreatedAt: 'CREATED AT',
  },
};

function volumeContext(v: Volume): Context {
  return {
    Name: v.Name,
    Driver: v.Driver,
    Scope: v.Scope,
    Mountpoint: v.Mountpoint,
    Labels: Object.entries(v.Labels ?? {})
      .map(([k, val]) => `${k}=${val}`)
      .sort()
      .join(','),
    Links: 'N/A',
    Size: 'N/A',
    CreatedAt: v.CreatedAt,
  };
}

export function renderVolumeList(volumes: Volume[], o: { quiet?: boolean; format?: string }): string {
  const byName = [...volumes].sort((a, b) => a.Name.localeCompare(b.Name));
  if (o.quiet) return byName.map((v) => `${v.Name}\n`).join('');
  return renderListing(byName.map(volumeContext), o.format, VOLUME_LISTING);
}
