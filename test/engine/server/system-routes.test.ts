/**
 * The system routes over a real in-process engine and the HTTP client: `/info` counts what the
 * engine holds, `/system/df` sizes images (shared layers), container writable layers and volumes
 * with their users, `/images/{name}/history` lists the layers, the prunes of `system prune`
 * (containers, build cache) answer docker's shapes, and a path version out of bounds is a 400.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { test } from 'node:test';
import { engineClient } from '../../../src/engine-api/client';
import { serveEngine } from '../../../src/engine/server/server';
import { startTestEngine } from '../../helpers/engine';
import { busyboxMissing } from '../../helpers/busybox-image';

function get(socket: string, p: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ socketPath: socket, path: p, agent: false }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

test(
  'info, system df, history, container and build cache prunes, API version bounds',
  { skip: busyboxMissing() },
  async (t) => {
    const te = await startTestEngine();
    const socket = path.join(te.root, 'run', 'api.sock');
    const server = await serveEngine(te.engine, socket);
    const client = engineClient(socket);
    t.after(async () => {
      client.close();
      await server.close();
      await te.close();
    });

    await client.tagImage('busybox', 'other', '1');
    const { Id } = await client.createContainer({
      Image: 'busybox',
      Cmd: ['true'],
      Labels: { tier: 'web' },
      HostConfig: { Mounts: [{ Type: 'volume', Source: 'data', Target: '/data' }] },
    });
    fs.writeFileSync(path.join(te.root, 'volumes', 'data', '_data', 'f'), Buffer.alloc(1234));

    const info = await client.info();
    assert.deepEqual(
      [info.Containers, info.ContainersRunning, info.ContainersStopped, info.Images, info.Driver],
      [1, 0, 1, 1, 'overlay2'],
    );
    assert.equal(info.DockerRootDir, te.root);
    assert.match(info.ID, /^[0-9a-f-]{36}$/);
    assert.equal((await client.info()).ID, info.ID, 'the ID is kept');
    assert.ok(info.NCPU >= 1 && info.MemTotal > 0);
    assert.ok(['1', '2'].includes(info.CgroupVersion));
    assert.equal(info.Swarm.LocalNodeState, 'inactive');

    const df = await client.diskUsage();
    assert.equal(df.Images.length, 1);
    const [image] = df.Images;
    assert.deepEqual([image.Containers, image.SharedSize], [1, 0]);
    assert.equal(df.LayersSize, image.Size);
    assert.deepEqual(
      df.Containers.map((c) => [c.Id, c.SizeRw, c.SizeRootFs]),
      [[Id, 0, image.Size]],
    );
    assert.deepEqual(
      df.Volumes.map((v) => [v.Name, v.UsageData]),
      [['data', { Size: 1234, RefCount: 1 }]],
    );
    assert.deepEqual([df.BuildCache, df.BuilderSize], [null, 0]);

    const history = await client.imageHistory('other:1');
    const layers = ((await client.inspectImage('other:1')).RootFS as { Layers: string[] }).Layers;
    assert.equal(history.length, layers.length);
    assert.equal(history[0].Id, image.Id);
    assert.deepEqual(history[0].Tags, ['busybox:latest', 'other:1']);
    assert.ok(history.slice(1).every((h) => h.Id === '<missing>' && h.Tags === null));
    assert.equal(
      history.reduce((n, h) => n + h.Size, 0),
      image.Size,
    );
    await assert.rejects(client.imageHistory('nope:1'), /No such image: nope:1/);

    assert.deepEqual(await client.pruneBuildCache(), { CachesDeleted: null, SpaceReclaimed: 0 });
    assert.deepEqual(await client.pruneContainers({ label: ['tier=db'] }), {
      ContainersDeleted: [],
      SpaceReclaimed: 0,
    });
    await assert.rejects(client.pruneContainers({ bogus: ['1'] }), /invalid filter 'bogus'/);
    assert.deepEqual(await client.pruneContainers({ until: ['1h'] }), {
      ContainersDeleted: [],
      SpaceReclaimed: 0,
    });
    assert.deepEqual(await client.pruneContainers(), { ContainersDeleted: [Id], SpaceReclaimed: 0 });
    assert.equal((await client.info()).Containers, 0);
    await client.removeVolume('data');

    assert.equal((await get(socket, '/v1.24/version')).status, 200);
    assert.deepEqual(await get(socket, '/v1.42/info'), {
      status: 400,
      body: '{"message":"client version 1.42 is too new. Maximum supported API version is 1.41"}',
    });
    assert.equal((await get(socket, '/v1.12/info')).status, 400);
  },
);
