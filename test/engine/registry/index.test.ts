import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pullImage } from '../../../src/engine/images/registry/pull';
import { busyboxLayers, busyboxMissing } from '../../helpers/busybox-image';
import { registryMissing, startRegistry } from '../../helpers/registry';
import { buildImage, skopeoPush, writeOciLayout } from '../../helpers/registry-images';
import { recorder, rejectsWith, tempStore } from './helpers';

const skip =
  busyboxMissing() || registryMissing() || (!fs.existsSync('/usr/bin/skopeo') && 'skopeo is not installed');

test(
  'pull: a multi-platform index (pushed by skopeo) gives linux/amd64, --platform another, a missing platform a clear error',
  { skip },
  async (t) => {
    const reg = await startRegistry();
    t.after(() => reg.stop());
    const amd64 = buildImage({ architecture: 'amd64' });
    const arm64 = buildImage({
      architecture: 'arm64',
      variant: 'v8',
      layers: busyboxLayers().layers.slice(2),
    });
    const layout = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-oci-layout-'));
    t.after(() => fs.rmSync(layout, { recursive: true, force: true }));
    const index = writeOciLayout(layout, [
      { ...amd64, platform: { architecture: 'amd64' } },
      { ...arm64, platform: { architecture: 'arm64', variant: 'v8' } },
    ]);
    const ref = `${reg.host}/multi/box:latest`;
    skopeoPush(layout, ref);

    const rec = recorder();
    const store = tempStore(t);
    const res = await pullImage(store, ref, {}, rec.emit);
    assert.equal(res.image.manifestDigest, amd64.manifest.digest);
    assert.equal(res.image.config.architecture, 'amd64');
    assert.equal(res.digest, index.digest);
    assert.ok(rec.statuses().includes(`Digest: ${index.digest}`));

    const other = tempStore(t);
    const arm = await pullImage(other, ref, { platform: 'linux/arm64' });
    assert.equal(arm.image.manifestDigest, arm64.manifest.digest);
    assert.equal(arm.image.config.architecture, 'arm64');

    const none = tempStore(t);
    await rejectsWith(
      pullImage(none, ref, { platform: 'linux/s390x' }),
      /^no matching manifest for linux\/s390x in the manifest list entries$/,
    );
    await rejectsWith(
      pullImage(none, ref, { platform: 'linux' }),
      /invalid platform "linux": expected os\/arch\[\/variant\]/,
    );
    assert.deepEqual(none.tags(), {});
  },
);
