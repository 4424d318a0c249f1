/**
 * Platforms (`os/arch[/variant]`) as `--platform` gives them and image indexes list them, with
 * the aliases people type (x86_64, aarch64), and the choice of one manifest from an index.
 */
import { InvalidArgumentError } from '../../../common/errors';
import { RegistryError } from './errors';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface IndexEntry {
  mediaType?: string;
  digest: string;
  size: number;
  platform?: Platform & { 'os.version'?: string };
}

const ARCH_ALIASES: Record<string, string> = {
  x86_64: 'amd64',
  'x86-64': 'amd64',
  aarch64: 'arm64',
  i386: '386',
  x64: 'amd64',
  ia32: '386',
};

/** The engine's own platform: what `docker pull` picks without `--platform`. */
export function hostPlatform(): Platform {
  const arch = ARCH_ALIASES[process.arch] ?? process.arch;
  return normalize({ os: 'linux', architecture: arch });
}

export function parsePlatform(text: string | undefined): Platform {
  if (!text) return hostPlatform();
  const parts = text.toLowerCase().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^[a-z0-9._-]+$/.test(p)))
    throw new InvalidArgumentError(`invalid platform ${JSON.stringify(text)}: expected os/arch[/variant]`);
  return normalize({ os: parts[0], architecture: parts[1], variant: parts[2] });
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/** arm64's only variant is v8 and 32-bit arm means v7 unless said, as containerd reads them. */
function normalize(p: Platform): Platform {
  const architecture = ARCH_ALIASES[p.architecture] ?? p.architecture;
  let variant = p.variant || undefined;
  if (architecture === 'arm64' && variant === 'v8') variant = undefined;
  if (architecture === 'arm' && !variant) variant = 'v7';
  return { os: p.os, architecture, variant };
}

export function selectManifest(entries: IndexEntry[], want: Platform): IndexEntry {
  const w = normalize(want);
  const hit = entries.find((e) => {
    if (!e.platform) return false;
    const p = normalize(e.platform);
    return p.os === w.os && p.architecture === w.architecture && p.variant === w.variant;
  });
  if (!hit)
    throw new RegistryError(
      404,
      `no matching manifest for ${formatPlatform(want)} in the manifest list entries`,
      {
        code: 'NO_MATCHING_MANIFEST',
      },
    );
  return hit;
}
