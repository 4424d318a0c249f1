/**
 * Image removal against real containers of an in-process engine: a container's overlay
 * lowerdirs are its image's layer dirs, so they must outlive the image's removal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ImageStore } from '../../../src/engine/images/store';
import { busyboxMissing, importBusybox } from '../../helpers/busybox-image';
import { collect, startTestEngine } from '../../helpers/engine';

test(
  'a layer a container uses is kept when its image is removed, and freed once the container is gone',
  { skip: busyboxMissing() },
  async (t) => {
    const te = await startTestEngine();
    t.after(() => te.close());
    const { engine } = te;
    const store = new ImageStore(path.join(te.root, 'images'));
    const img = store.resolve('busybox');

    const { Id } = await engine.createContainer({ Image: 'busybox', Cmd: ['cat', '/opt/data/keep.txt'] });
    await assert.rejects(
      engine.removeImage('busybox'),
      new RegExp(
        `unable to remove repository reference "busybox" \\(must force\\) - container ${Id.slice(0, 12)} is using`,
      ),
    );
    await assert.rejects(
      engine.removeImage(img.id),
      new RegExp(
        `unable to delete ${img.id.slice(7, 19)} \\(must be forced\\) - image is being used by stopped container ${Id.slice(0, 12)}`,
      ),
    );
    assert.deepEqual(await engine.removeImage('busybox', { force: true }), [
      { Untagged: 'busybox:latest' },
      { Deleted: img.id },
    ]);
    assert.deepEqual(await engine.listImages(), []);
    for (const dir of img.layerDirs) assert.ok(fs.existsSync(dir), `${dir} is kept for the container`);
    assert.deepEqual((await engine.pruneImages({ all: true })).ImagesDeleted, [], 'prune keeps them too');
    for (const dir of img.layerDirs) assert.ok(fs.existsSync(dir));

    await engine.startContainer(Id);
    assert.equal((await engine.waitContainer(Id)).StatusCode, 0);
    assert.equal((await collect(engine.containerLogs(Id, { stdout: true, stderr: true }))).stdout, 'keep\n');
    await engine.removeContainer(Id);
    const pruned = await engine.pruneImages();
    assert.deepEqual(pruned.ImagesDeleted, [], 'nothing visible was deleted');
    assert.ok(pruned.SpaceReclaimed > 1_000_000, 'but the hidden image and its busybox layer were freed');
    assert.deepEqual(store.layers.list(), []);
    assert.deepEqual(store.blobs.list(), []);

    const again = await importBusybox(store);
    const running = await engine.createContainer({ Image: 'busybox', Cmd: ['sleep', '30'] });
    await engine.startContainer(running.Id);
    await assert.rejects(
      engine.removeImage(again.id, { force: true }),
      new RegExp(
        `\\(cannot be forced\\) - image is being used by running container ${running.Id.slice(0, 12)}`,
      ),
    );
    assert.deepEqual(await engine.removeImage('busybox', { force: true }), [{ Untagged: 'busybox:latest' }]);
    const [dangling] = await engine.listImages();
    assert.deepEqual([dangling.Id, dangling.RepoTags], [again.id, []]);
    await engine.removeContainer(running.Id, { force: true });
    assert.equal((await engine.pruneImages()).ImagesDeleted?.length, 1 + 3, 'the image and its three layers');
    assert.deepEqual(store.layers.list(), []);
  },
);
