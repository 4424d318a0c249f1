import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { pullImage } from '../../../src/engine/images/registry/pull';
import { pushImage } from '../../../src/engine/images/registry/push';
import { busyboxMissing } from '../../helpers/busybox-image';
import { freePort, registryMissing, startRegistry } from '../../helpers/registry';
import { buildImage, storeImage } from '../../helpers/registry-images';
import { assertNothingLeft, rejectsWith, tempStore } from './helpers';

const skip = busyboxMissing() || registryMissing();

test(
  'pull: a corrupted blob from the registry is rejected with a clear error and leaves nothing behind',
  { skip },
  async (t) => {
    const reg = await startRegistry();
    t.after(() => reg.stop());
    const src = tempStore(t);
    const built = buildImage();
    const ref = `${reg.host}/bad/blob:1`;
    await storeImage(src, built, ref);
    await pushImage(src, ref);
    const victim = built.layers[0];
    const fs = await import('node:fs');
    const bytes = fs.readFileSync(reg.blobFile(victim.digest));
    bytes[Math.floor(bytes.length / 2)] ^= 0xff; // same size, other content
    fs.writeFileSync(reg.blobFile(victim.digest), bytes);

    const dst = tempStore(t);
    await assert.rejects(pullImage(dst, ref), (err: Error) => {
      assert.match(
        err.message,
        new RegExp(
          `^failed to pull layer ${victim.digest} of ${reg.host}/bad/blob: digest mismatch: expected ${victim.digest}, got sha256:[0-9a-f]{64}`,
        ),
      );
      assert.doesNotMatch(err.message, /\n/);
      return true;
    });
    assertNothingLeft(dst, [victim.digest, built.config.digest, built.manifest.digest]);
  },
);

test(
  'pull: an interrupted transfer (the connection cut mid-blob, then the registry stopped) leaves nothing half-written',
  { skip },
  async (t) => {
    const reg = await startRegistry();
    t.after(() => reg.stop());
    const src = tempStore(t);
    const built = buildImage({ compression: 'none' });
    await storeImage(src, built, `${reg.host}/cut/box:1`);
    await pushImage(src, `${reg.host}/cut/box:1`);
    // A proxy on 127.0.0.1 that cuts every connection once 64 KiB of answers went through.
    const port = await freePort();
    const proxy = net.createServer((client) => {
      const upstream = net.connect(reg.port, '127.0.0.1');
      let sent = 0;
      client.pipe(upstream);
      upstream.on('data', (chunk: Buffer) => {
        if (sent > 64 * 1024) return;
        sent += chunk.length;
        client.write(chunk);
        // Mid-transfer, as a dropped network is: the blob is being written when the cut comes.
        if (sent > 64 * 1024)
          setTimeout(() => {
            client.destroy();
            upstream.destroy();
          }, 30);
      });
      upstream.on('end', () => client.end());
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
    t.after(() => new Promise((resolve) => proxy.close(resolve)));

    const dst = tempStore(t);
    await assert.rejects(pullImage(dst, `127.0.0.1:${port}/cut/box:1`), (err: Error) => {
      assert.match(err.message, /^failed to pull layer sha256:[0-9a-f]{64} of 127\.0\.0\.1:\d+\/cut\/box: /);
      return true;
    });
    const big = built.layers.filter((l) => l.size > 64 * 1024).map((l) => l.digest);
    assertNothingLeft(dst, [...big, built.config.digest, built.manifest.digest]);

    // The registry itself goes away: a clear error, still nothing behind.
    await reg.halt();
    await rejectsWith(
      pullImage(dst, `${reg.host}/cut/box:1`),
      /cannot reach the registry 127\.0\.0\.1:\d+: .*ECONNREFUSED/,
    );
    assertNothingLeft(dst, [...big, built.config.digest, built.manifest.digest]);
  },
);

test('pull: an unknown tag or repository is one line naming it', { skip }, async (t) => {
  const reg = await startRegistry();
  t.after(() => reg.stop());
  await rejectsWith(
    pullImage(tempStore(t), `${reg.host}/no/such:tag`),
    new RegExp(`^manifest for ${reg.host}/no/such:tag not found: manifest unknown: manifest unknown$`),
  );
});
