import { test } from 'node:test';
import assert from 'node:assert/strict';
import { familiarName, formatReference, parseReference } from '../../../src/common/image-reference';

const D = 'sha256:' + 'a'.repeat(64);

test('references normalize as docker normalizes them', () => {
  const table: [string, string, string][] = [
    ['busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36', 'busybox:1.36'],
    ['user/app', 'docker.io/user/app:latest', 'user/app:latest'],
    ['docker.io/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
    ['index.docker.io/library/busybox:x', 'docker.io/library/busybox:x', 'busybox:x'],
    ['localhost:5000/team/app:v1', 'localhost:5000/team/app:v1', 'localhost:5000/team/app:v1'],
    ['127.0.0.1:5000/app', '127.0.0.1:5000/app:latest', '127.0.0.1:5000/app:latest'],
    [`busybox@${D}`, `docker.io/library/busybox@${D}`, `busybox@${D}`],
    [`ghcr.io/o/r/x:t@${D}`, `ghcr.io/o/r/x:t@${D}`, `ghcr.io/o/r/x:t@${D}`],
    ['my.registry/a_b/c__d/e-f', 'my.registry/a_b/c__d/e-f:latest', 'my.registry/a_b/c__d/e-f:latest'],
  ];
  for (const [input, full, short] of table) {
    const r = parseReference(input);
    assert.equal(formatReference(r), full, input);
    assert.equal(familiarName(r), short, input);
  }
});

test('malformed references give a clear error', () => {
  const table: [string, RegExp][] = [
    ['', /empty/],
    ['Busybox', /must be lowercase/],
    ['busybox:', /invalid tag/],
    ['busybox:-x', /invalid tag/],
    ['busybox@sha256:zz', /invalid digest/],
    ['a//b', /invalid repository name/],
    ['-a', /invalid repository name/],
    ['bad_host:5000:x/y', /invalid/],
  ];
  for (const [input, why] of table) {
    assert.throws(
      () => parseReference(input),
      (err: Error) => /^invalid reference format: /.test(err.message) && why.test(err.message),
      input,
    );
  }
});
