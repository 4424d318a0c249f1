import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkConfigShape,
  checkIndexShape,
  checkManifestShape,
  digestProblem,
  parseJsonObject,
} from '../../../src/engine/images/validate';

const good = `sha256:${'0a'.repeat(32)}`;

test('only sha256 with 64 lowercase hex digits is a digest; other algorithms are named', () => {
  assert.equal(digestProblem(good), undefined);
  for (const bad of [
    `sha256:${'0A'.repeat(32)}`,
    `sha256:${'0'.repeat(63)}`,
    `sha256:${'0'.repeat(65)}`,
    `${good}\n`,
    ` ${good}`,
    'sha256:../../x',
    `sha256:${'0'.repeat(62)}/.`,
    '',
    'sha256:',
  ])
    assert.equal(digestProblem(bad), `invalid digest ${JSON.stringify(bad)}`, bad);
  assert.equal(digestProblem(42), 'invalid digest 42');
  assert.equal(digestProblem(null), 'invalid digest null');
  assert.equal(
    digestProblem(`sha512:${'ab'.repeat(64)}`),
    `invalid digest "sha512:${'ab'.repeat(64)}": unsupported algorithm sha512, only sha256 is supported`,
  );
});

test("docker's nulls and an absent config pass; each wrong type names its field", () => {
  checkConfigShape(
    {
      rootfs: { type: 'layers', diff_ids: [good] },
      config: { Cmd: null, Entrypoint: null, Env: null, Volumes: null, OnBuild: null, Labels: null },
    },
    'c',
  );
  checkConfigShape({ rootfs: { diff_ids: [] } }, 'c');
  assert.throws(() => checkConfigShape({ rootfs: { diff_ids: [good, 7] } }, 'c'), {
    message: 'c: rootfs.diff_ids[1]: invalid digest 7',
  });
  assert.throws(() => checkConfigShape({}, 'c'), { message: 'c: rootfs: must be an object, not nothing' });
  assert.throws(
    () => checkConfigShape({ rootfs: { diff_ids: [] }, config: { Healthcheck: { Retries: -1 } } }, 'c'),
    {
      message: 'c: config.Healthcheck.Retries: must be a whole number from 0, not -1',
    },
  );
  const d = { mediaType: 'x', digest: good, size: 1 };
  checkManifestShape({ config: d, layers: [d] }, 'm');
  assert.throws(() => checkManifestShape({ config: d, layers: [{ ...d, mediaType: 5 }] }, 'm'), {
    message: 'm: layers[0].mediaType: must be a string, not number 5',
  });
  assert.throws(() => checkIndexShape({ manifests: [{ ...d, platform: { os: ['linux'] } }] }, 'i'), {
    message: 'i: manifests[0].platform.os: must be a string, not a list',
  });
  assert.throws(() => parseJsonObject('[1]', 'j'), { message: 'j: must be a JSON object, not a list' });
});
