/**
 * The image inspect fields of the API versions before 1.45 (the engine serves up to 1.41):
 * `Container` and `ContainerConfig`, the config of the container an image was committed from.
 * docker-compose 1.29 reads `ContainerConfig.Volumes` of the image whenever it recreates a
 * container, and fails with a KeyError where the field is missing.
 */
import type { ImageConfigFile } from './store';

/** What dockerd shows for an image no container made (an import, a BuildKit build). */
const ZERO_CONFIG = {
  Hostname: '',
  Domainname: '',
  User: '',
  AttachStdin: false,
  AttachStdout: false,
  AttachStderr: false,
  Tty: false,
  OpenStdin: false,
  StdinOnce: false,
  Env: null,
  Cmd: null,
  Image: '',
  Volumes: null,
  WorkingDir: '',
  Entrypoint: null,
  OnBuild: null,
  Labels: null,
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The fields from the config file's `container` and `container_config`, as dockerd passes them on. */
export function legacyInspectFields(config: ImageConfigFile): {
  Container: string;
  ContainerConfig: Record<string, unknown>;
} {
  const raw = config as unknown as Record<string, unknown>;
  return {
    Container: typeof raw.container === 'string' ? raw.container : '',
    ContainerConfig: isObject(raw.container_config) ? raw.container_config : { ...ZERO_CONFIG },
  };
}
