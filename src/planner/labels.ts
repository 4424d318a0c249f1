/**
 * docker compose's labels (`pkg/api/labels.go`): a project's identity lives on its resources, so
 * `ps` and `down` work from any directory and any process, and containers docker compose made
 * are recognised as the project's.
 */
export const LABEL = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  containerNumber: 'com.docker.compose.container-number',
  configHash: 'com.docker.compose.config-hash',
  oneoff: 'com.docker.compose.oneoff',
  slug: 'com.docker.compose.slug',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
  environmentFile: 'com.docker.compose.project.environment_file',
  dependsOn: 'com.docker.compose.depends_on',
  image: 'com.docker.compose.image',
  version: 'com.docker.compose.version',
  network: 'com.docker.compose.network',
  volume: 'com.docker.compose.volume',
  replace: 'com.docker.compose.replace',
} as const;

/** The compose version the labels record (docker compose writes its own). */
export const COMPOSE_LABEL_VERSION = '2.37.0';
