/**
 * What a project has on the engine now, as the compose service observes it (by docker compose's
 * labels) and hands it to the planner: plain data, so plans are pure functions of it and golden
 * tests can write it by hand.
 */

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface ObservedContainer {
  id: string;
  /** Without docker's leading '/'. */
  name: string;
  /** The `com.docker.compose.service` label. */
  service: string;
  /** The `com.docker.compose.container-number` label (0 for a one-off). */
  number: number;
  oneoff: boolean;
  state: ContainerState;
  exitCode?: number;
  health?: 'starting' | 'healthy' | 'unhealthy';
  /** The image id the container was made from (sha256:…). */
  imageId: string;
  /** Every label, `com.docker.compose.config-hash` among them. */
  labels: Record<string, string>;
  /** Engine names of the networks it is attached to, sorted. */
  networks: string[];
  /** Named volumes it mounts (engine names), sorted. */
  volumes: string[];
}

export interface ObservedNetwork {
  id: string;
  name: string;
  labels: Record<string, string>;
}

export interface ObservedVolume {
  name: string;
  labels: Record<string, string>;
}

export interface Observed {
  /** The project's containers, one-offs included. */
  containers: ObservedContainer[];
  /** The networks and volumes the project names (by engine name), present or labelled as its own. */
  networks: ObservedNetwork[];
  volumes: ObservedVolume[];
  /** Image references the services use → the id the engine has for each (absent: not there). */
  images: Record<string, string>;
}

export const emptyObserved = (): Observed => ({ containers: [], networks: [], volumes: [], images: {} });
