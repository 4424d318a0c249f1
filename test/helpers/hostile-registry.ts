/**
 * A registry stub for hostile-input tests: a tiny HTTP server on 127.0.0.1 speaking just enough
 * of the distribution API (`/v2/`, manifests by tag or digest, blobs) to serve crafted bytes a
 * real registry refuses to store (configs with path-like diff ids, manifests with negative sizes
 * or sha512 digests, compression bombs). Anything not published answers 404 in the spec's form.
 */
import http from 'node:http';
import type net from 'node:net';
import { MEDIA } from '../../src/engine/images/media';
import { sha256 } from './image-builder';

export interface HostileImage {
  /** The config as bytes (for one that is not JSON) or as an object. */
  config: Buffer | object;
  /** Layer blobs as served (compressed or not). */
  layers: Buffer[];
  /** Changes the manifest before it is served (a bad digest, a negative size). */
  mutate?: (manifest: HostileManifest) => void;
}

export interface HostileManifest {
  schemaVersion: number;
  mediaType: string;
  config: { mediaType: string; digest: string; size: number };
  layers: { mediaType: string; digest: string; size: number }[];
}

export interface Published {
  ref: string;
  manifestDigest: string;
  configDigest: string;
  layerDigests: string[];
}

export interface HostileRegistry {
  /** `127.0.0.1:PORT`. */
  host: string;
  /** Every request as `METHOD path`, in order. */
  requests: string[];
  /** Serves `bytes` at a path under `/v2/` (a manifest or a blob, by any name). */
  serve(urlPath: string, bytes: Buffer, contentType?: string): void;
  /** An image under `repo:tag`: its blobs by their (true) digests, the manifest by tag and digest. */
  publish(repo: string, tag: string, image: HostileImage): Published;
  close(): Promise<void>;
}

export async function startHostileRegistry(): Promise<HostileRegistry> {
  const served = new Map<string, { bytes: Buffer; type: string }>();
  const requests: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    requests.push(`${req.method} ${url}`);
    if (url === '/v2/' || url === '/v2') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    const hit = served.get(url);
    if (!hit) {
      const body = JSON.stringify({ errors: [{ code: 'NAME_UNKNOWN', message: 'not published' }] });
      res.writeHead(404, { 'content-type': 'application/json' }).end(body);
      return;
    }
    res.writeHead(200, {
      'content-type': hit.type,
      'content-length': hit.bytes.length,
      'docker-content-digest': sha256(hit.bytes),
    });
    res.end(req.method === 'HEAD' ? undefined : hit.bytes);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const host = `127.0.0.1:${port}`;
  const serve = (urlPath: string, bytes: Buffer, type = 'application/octet-stream') =>
    void served.set(urlPath, { bytes, type });
  return {
    host,
    requests,
    serve,
    publish: (repo, tag, image) => {
      const config = Buffer.isBuffer(image.config) ? image.config : Buffer.from(JSON.stringify(image.config));
      const configDigest = sha256(config);
      serve(`/v2/${repo}/blobs/${configDigest}`, config);
      const layerDigests = image.layers.map((blob) => {
        const digest = sha256(blob);
        serve(`/v2/${repo}/blobs/${digest}`, blob);
        return digest;
      });
      const manifest: HostileManifest = {
        schemaVersion: 2,
        mediaType: MEDIA.dockerManifest,
        config: { mediaType: MEDIA.dockerConfig, digest: configDigest, size: config.length },
        layers: image.layers.map((blob, i) => ({
          mediaType: MEDIA.dockerLayerGzip,
          digest: layerDigests[i],
          size: blob.length,
        })),
      };
      image.mutate?.(manifest);
      const bytes = Buffer.from(JSON.stringify(manifest));
      const manifestDigest = sha256(bytes);
      serve(`/v2/${repo}/manifests/${tag}`, bytes, MEDIA.dockerManifest);
      serve(`/v2/${repo}/manifests/${manifestDigest}`, bytes, MEDIA.dockerManifest);
      return { ref: `${host}/${repo}:${tag}`, manifestDigest, configDigest, layerDigests };
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
