/** A container's record as create makes it: the spec built and checked, the config merged over the image's. */
import fs from 'node:fs';
import path from 'node:path';
import type { ContainerCreateBody, HealthConfig } from '../../engine-api/container/types';
import type { ResolvedImage } from '../images/store';
import { jsonLogPath } from '../logs/json-file';
import { effectiveHealthcheck } from './health';
import { CONTAINER_RECORD_VERSION } from './container-index';
import { initialState, type ContainerRecord } from './record';
import { buildContainerSpec, type BuildSpecInput } from './spec-builder';

function hostEtcFiles(): { hosts: string; resolvConf: string } {
  const read = (p: string): string => {
    try {
      return fs.readFileSync(p, 'utf8');
    } catch {
      return '';
    }
  };
  return { hosts: read('/etc/hosts'), resolvConf: read('/etc/resolv.conf') };
}

export function newRecord(opts: {
  id: string;
  name: string;
  body: ContainerCreateBody;
  image: ResolvedImage;
  dir: string;
  cgroupParent: string;
  volumes?: BuildSpecInput['volumes'];
}): ContainerRecord {
  const { id, name, body, image } = opts;
  const stateDir = path.join(opts.dir, id);
  const spec = buildContainerSpec({
    id,
    name,
    body,
    image,
    stateDir,
    cgroupParent: opts.cgroupParent,
    hostEtc: hostEtcFiles(),
    volumes: opts.volumes,
  });
  const { HostConfig: _hostConfig, ...own } = body;
  const imageConfig = image.config.config as typeof image.config.config & { Healthcheck?: HealthConfig };
  const healthcheck = effectiveHealthcheck(imageConfig.Healthcheck, body.Healthcheck);
  return {
    id,
    version: CONTAINER_RECORD_VERSION,
    name,
    created: new Date().toISOString(),
    image: body.Image,
    imageId: image.id,
    // inspect's Config is the container's own merged over the image's, as docker shows it
    config: {
      ...own,
      StopSignal: body.StopSignal || image.config.config.StopSignal,
      ...(healthcheck ? { Healthcheck: healthcheck } : {}),
    },
    hostConfig: body.HostConfig ?? {},
    state: initialState(),
    restartCount: 0,
    logPath: jsonLogPath(stateDir, id),
    spec,
  };
}
