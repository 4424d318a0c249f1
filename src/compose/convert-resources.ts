/**
 * A project's networks and volumes → the engine's create bodies, with the labels that make them
 * the project's (docker compose's prepareNetworks / ensureProjectVolumes): `project`, the compose
 * key, the version.
 */
import { InvalidArgumentError } from '../common/errors';
import type { Project } from '../compose-model/types';
import type { NetworkCreateRequest } from '../engine-api/network/types';
import type { VolumeCreateOptions } from '../engine-api/volume/types';
import { COMPOSE_LABEL_VERSION, LABEL } from '../planner/labels';

export function networkCreateBody(project: Project, key: string): NetworkCreateRequest {
  const n = project.networks[key];
  if (!n) throw new InvalidArgumentError(`no network ${key} in project ${project.name}`);
  if (n.external) throw new InvalidArgumentError(`network ${n.name} is external: it is used, never created`);
  const ipam = n.ipam;
  const body: NetworkCreateRequest = {
    Name: n.name,
    Labels: {
      ...n.labels,
      [LABEL.network]: key,
      [LABEL.project]: project.name,
      [LABEL.version]: COMPOSE_LABEL_VERSION,
    },
  };
  if (n.driver) body.Driver = n.driver;
  if (n.driverOpts && Object.keys(n.driverOpts).length) body.Options = n.driverOpts;
  if (n.internal) body.Internal = true;
  if (n.attachable) body.Attachable = true;
  if (n.enableIpv6) body.EnableIPv6 = true;
  if (ipam && (ipam.driver || ipam.config?.length || ipam.options)) {
    body.IPAM = {
      Driver: ipam.driver,
      Config: ipam.config?.map((c) => ({
        Subnet: c.subnet,
        IPRange: c.ipRange,
        Gateway: c.gateway,
        AuxiliaryAddresses: c.auxAddresses,
      })),
      Options: ipam.options,
    };
  }
  return body;
}

export function volumeCreateBody(project: Project, key: string): VolumeCreateOptions {
  const v = project.volumes[key];
  if (!v) throw new InvalidArgumentError(`no volume ${key} in project ${project.name}`);
  if (v.external) throw new InvalidArgumentError(`volume ${v.name} is external: it is used, never created`);
  const body: VolumeCreateOptions = {
    Name: v.name,
    Labels: {
      ...v.labels,
      [LABEL.volume]: key,
      [LABEL.project]: project.name,
      [LABEL.version]: COMPOSE_LABEL_VERSION,
    },
  };
  if (v.driver) body.Driver = v.driver;
  if (v.driverOpts && Object.keys(v.driverOpts).length) body.DriverOpts = v.driverOpts;
  return body;
}
