/** `-p`/`--publish`, `-P`/`--publish-all` and `--expose` of `run`/`create`, as docker reads them. */
import {
  exposedKey,
  parsePublish,
  PortError,
  type PortMap,
  type PortSet,
} from '../../engine-api/container/ports';
import { bool, list, type FlagTable } from '../flags/flag-spec';
import { UsageError } from '../flags/usage';

export const portFlagTable = {
  publish: list("Publish a container's port(s) to the host ([ip:][hostPort:]containerPort[/proto])", {
    char: 'p',
  }),
  'publish-all': bool('Publish all exposed ports to random ports', { char: 'P' }),
  expose: list('Expose a port or a range of ports'),
} satisfies FlagTable;

export interface PortConfig {
  ExposedPorts?: PortSet;
  PortBindings?: PortMap;
  PublishAllPorts?: boolean;
}

export function portConfig(flags: {
  publish?: string[];
  'publish-all'?: boolean;
  expose?: string[];
}): PortConfig {
  try {
    const { ExposedPorts, PortBindings } = parsePublish(flags.publish ?? []);
    for (const e of flags.expose ?? []) for (const key of exposedKey(e)) ExposedPorts[key] = {};
    return {
      ...(Object.keys(ExposedPorts).length ? { ExposedPorts } : {}),
      ...(Object.keys(PortBindings).length ? { PortBindings } : {}),
      ...(flags['publish-all'] ? { PublishAllPorts: true } : {}),
    };
  } catch (err) {
    if (err instanceof PortError) throw new UsageError(err.message);
    throw err;
  }
}
