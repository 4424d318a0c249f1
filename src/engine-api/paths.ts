/**
 * Where the engine keeps things. TSCOMPOSE_ROOT (state), TSCOMPOSE_RUNROOT (sockets, pids,
 * locks) and TSCOMPOSE_HOST (the API socket, like DOCKER_HOST) override the defaults, so tests
 * and parallel engines never share anything.
 */
import path from 'node:path';

export interface EnginePaths {
  root: string;
  runRoot: string;
  /** The API socket path (unix:// stripped). */
  socket: string;
  images: string;
  containers: string;
  volumes: string;
  networks: string;
}

export function enginePaths(env: Record<string, string | undefined> = process.env): EnginePaths {
  const root = path.resolve(env.TSCOMPOSE_ROOT || '/var/lib/tscompose');
  const runRoot = path.resolve(env.TSCOMPOSE_RUNROOT || '/run/tscompose');
  const host = env.TSCOMPOSE_HOST || `unix://${path.join(runRoot, 'engine.sock')}`;
  if (!host.startsWith('unix://'))
    throw new Error(`TSCOMPOSE_HOST must be a unix:// socket, got ${JSON.stringify(host)}`);
  return {
    root,
    runRoot,
    socket: host.slice('unix://'.length),
    images: path.join(root, 'images'),
    containers: path.join(root, 'containers'),
    volumes: path.join(root, 'volumes'),
    networks: path.join(root, 'networks'),
  };
}
