/**
 * Compression bombs against a small tmpfs state root: a few hundred KiB of gzip or zstd that
 * inflate to 128 MiB (twice the filesystem) stop at max-expansion-ratio with one line, through
 * import, docker and OCI load, a compressed archive and a pull from a stub registry, and the
 * filesystem has its space back afterwards.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { kindOf } from '../../../src/common/errors';
import { imageApi } from '../../../src/engine/images/image-api';
import { DEFAULT_IMAGE_LIMITS } from '../../../src/engine/images/limits';
import { pullImage } from '../../../src/engine/images/registry/pull';
import { ImageStore } from '../../../src/engine/images/store';
import { zstdMissing } from '../../helpers/image-builder';
import {
  assertStoreClean,
  bombLayer,
  configFor,
  dockerArchive,
  ociArchive,
  type Bomb,
} from '../../helpers/hostile-images';
import { startHostileRegistry } from '../../helpers/hostile-registry';

const MiB = 1024 * 1024;
/** Twice the filesystem: without the limit the unpack would fill it. */
const BOMB_SIZE = 128 * MiB;
/** 16 × the 1 MiB floor: the limit trips at 16 MiB, a quarter of the filesystem. */
const RATIO = 16;
const skip = process.getuid?.() !== 0 ? 'needs root to mount a tmpfs' : zstdMissing();
const limit = /expands beyond the limit of 16:1 .*: refusing a compression bomb/;

describe('compression bombs on a 64 MiB tmpfs state root', { skip }, () => {
  const mnt = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-bomb-'));
  let mounted = false;
  let store: ImageStore;
  let api: ReturnType<typeof imageApi>;
  const bombs = {} as Record<'gzip' | 'zstd', Bomb>;
  const used = (): number => {
    const s = fs.statfsSync(mnt);
    return (s.blocks - s.bfree) * s.bsize;
  };
  let baseline = 0;

  before(async () => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tsc-bomb-test', mnt]);
    mounted = true;
    store = new ImageStore(path.join(mnt, 'images'), {
      ...DEFAULT_IMAGE_LIMITS,
      maxExpansionRatio: RATIO,
      minFreeSpace: 0,
    });
    api = imageApi(store, () => new Map());
    bombs.gzip = await bombLayer(BOMB_SIZE, 'gzip');
    bombs.zstd = await bombLayer(BOMB_SIZE, 'zstd');
    fs.mkdirSync(store.root);
    baseline = used();
  });
  after(() => {
    if (mounted) execFileSync('umount', [mnt]);
    fs.rmSync(mnt, { recursive: true, force: true });
  });

  /** The filesystem has its space back and the store holds nothing of the bomb. */
  const assertReclaimed = (what: string) => {
    assert.ok(used() - baseline < 256 * 1024, `${what}: ${used() - baseline} bytes still used on the tmpfs`);
    assertStoreClean(store);
  };

  const refused = async (p: Promise<unknown>, re: RegExp) => {
    await assert.rejects(p, (err: Error) => {
      assert.equal(kindOf(err), 'invalid-argument', `a 400, not ${err.constructor.name}: ${err.message}`);
      assert.match(err.message, re);
      assert.doesNotMatch(err.message, /\n/);
      return true;
    });
  };

  for (const c of ['gzip', 'zstd'] as const) {
    test(`import of a ${c} bomb stops at the ratio`, async () => {
      assert.ok(bombs[c].blob.length < MiB, `the ${c} bomb is small (${bombs[c].blob.length} bytes)`);
      await refused(
        api.importImage(Readable.from([bombs[c].blob]), { repo: 'bomb' }),
        new RegExp(`^layer sha256:[a-f0-9]{64} ${limit.source}`),
      );
      assertReclaimed(`import ${c}`);
    });
  }

  test('docker load of a gzip bomb layer and OCI load of a zstd one stop at the ratio', async () => {
    const gz = bombs.gzip;
    await refused(
      api.loadImages(
        Readable.from([await dockerArchive({ config: configFor([gz.diffId]), layers: [gz.blob] })]),
      ),
      limit,
    );
    assertReclaimed('docker load');
    const zst = bombs.zstd;
    const { archive } = await ociArchive({ config: configFor([zst.diffId]), layers: [zst.blob] });
    await refused(api.loadImages(Readable.from([archive])), limit);
    assertReclaimed('OCI load');
  });

  test('load of an archive that is itself a gzip bomb stops at the ratio while reading it', async () => {
    await refused(
      api.loadImages(Readable.from([bombs.gzip.blob])),
      new RegExp(`^invalid archive: the archive ${limit.source}`),
    );
    assertReclaimed('compressed archive');
  });

  test('pull of a gzip bomb layer from a registry stops at the ratio', async (t) => {
    const reg = await startHostileRegistry();
    t.after(() => reg.close());
    const gz = bombs.gzip;
    const { ref } = reg.publish('bomb/gz', '1', { config: configFor([gz.diffId]), layers: [gz.blob] });
    await assert.rejects(pullImage(store, ref), (err: Error) => {
      assert.match(err.message, limit);
      assert.doesNotMatch(err.message, /\n/);
      return true;
    });
    assertReclaimed('pull');
  });
});
