/** Top-level networks, volumes, secrets and configs of the normalized tree → their typed configs. */
import type { ConfigObjConfig, IpamConfig, NetworkConfig, SecretConfig, VolumeConfig } from './project-types';
import { bool, list, str, stringMap, struct, type Conv, type FieldTable } from './typed-values';

/** Normalization makes `external: {name}` a plain boolean and sets the name, so both are typed so. */
const external: Conv<boolean> = (v, w) => bool(v, w);

const ipam = struct<IpamConfig>({
  driver: ['driver', str],
  config: [
    'config',
    list(
      struct({
        subnet: ['subnet', str],
        ipRange: ['ip_range', str],
        gateway: ['gateway', str],
        auxAddresses: ['aux_addresses', stringMap],
      }),
    ),
  ],
  options: ['options', stringMap],
});

export const NETWORK_FIELDS: FieldTable<Omit<NetworkConfig, 'extensions'>> = {
  name: ['name', str],
  driver: ['driver', str],
  driverOpts: ['driver_opts', stringMap],
  ipam: ['ipam', ipam],
  external: ['external', external],
  internal: ['internal', bool],
  enableIpv4: ['enable_ipv4', bool],
  enableIpv6: ['enable_ipv6', bool],
  attachable: ['attachable', bool],
  labels: ['labels', stringMap],
};

export const VOLUME_FIELDS: FieldTable<Omit<VolumeConfig, 'extensions'>> = {
  name: ['name', str],
  driver: ['driver', str],
  driverOpts: ['driver_opts', stringMap],
  external: ['external', external],
  labels: ['labels', stringMap],
};

export const SECRET_FIELDS: FieldTable<Omit<SecretConfig, 'extensions'>> = {
  name: ['name', str],
  file: ['file', str],
  environment: ['environment', str],
  external: ['external', external],
  labels: ['labels', stringMap],
  driver: ['driver', str],
  driverOpts: ['driver_opts', stringMap],
  templateDriver: ['template_driver', str],
};

export const CONFIG_FIELDS: FieldTable<Omit<ConfigObjConfig, 'extensions'>> = {
  name: ['name', str],
  file: ['file', str],
  content: ['content', str],
  environment: ['environment', str],
  external: ['external', external],
  labels: ['labels', stringMap],
  templateDriver: ['template_driver', str],
};

/** The spec keys of each resource kind left without a typed field, each with why. */
export const IGNORED_RESOURCE_KEYS: Record<
  'networks' | 'volumes' | 'secrets' | 'configs',
  Record<string, string>
> = {
  networks: {},
  volumes: {},
  secrets: {},
  configs: {},
};

/** A resource without a name (the tree was not normalized) is named after its key. */
function named<T extends { name: string }>(
  table: FieldTable<Omit<T, 'extensions'>>,
): (key: string) => Conv<T> {
  const conv = struct(table as FieldTable<T>, true);
  return (key) => (v, w) => {
    const out = conv(v ?? {}, w);
    return { ...out, name: out.name ?? key };
  };
}

export const toNetworkConfig = named<NetworkConfig>(NETWORK_FIELDS);
export const toVolumeConfig = named<VolumeConfig>(VOLUME_FIELDS);
export const toSecretConfig = named<SecretConfig>(SECRET_FIELDS);
export const toConfigObjConfig = named<ConfigObjConfig>(CONFIG_FIELDS);
