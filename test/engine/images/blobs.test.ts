import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { BlobStore } from '../../../src/engine/images/blobs';

function store(t: { after: (fn: () => void) => void }): BlobStore {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-blobs-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return new BlobStore(dir);
}

const sha = (b: Buffer | string) => `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;

test('blobs are stored by their digest and read back', async (t) => {
  const s = store(t);
  const d = s.put('hello');
  assert.equal(d, sha('hello'));
  assert.equal(s.read(d).toString(), 'hello');
  const big = crypto.randomBytes(3 * 1024 * 1024);
  const d2 = await s.putStream(Readable.from([big.subarray(0, 1000), big.subarray(1000)]), {
    digest: sha(big),
    size: big.length,
  });
  assert.equal(d2, sha(big));
  assert.equal(s.size(d2), big.length);
  assert.deepEqual(s.list(), [d, d2].sort());
  s.remove(d);
  assert.equal(s.has(d), false);
});

test('a corrupted or truncated stream is rejected and leaves nothing behind', async (t) => {
  const s = store(t);
  const good = Buffer.from('layer bytes');
  await assert.rejects(
    s.putStream(Readable.from([Buffer.from('layer bytez')]), { digest: sha(good) }),
    /digest mismatch: expected sha256:/,
  );
  await assert.rejects(s.putStream(Readable.from([good]), { size: good.length + 1 }), /size mismatch/);
  const broken = new Readable({
    read() {
      this.destroy(new Error('connection reset'));
    },
  });
  await assert.rejects(s.putStream(broken, { digest: sha(good) }), /connection reset/);
  assert.deepEqual(s.list(), []);
  assert.deepEqual(fs.readdirSync(s.ingestDir), []);
  assert.throws(() => s.put('x', sha('y')), /digest mismatch/);
  assert.throws(() => s.has('md5:abc'), /invalid digest/);
});

test('concurrent writers of the same blob end with one intact copy', async (t) => {
  const s = store(t);
  const data = crypto.randomBytes(512 * 1024);
  const digests = await Promise.all(
    Array.from({ length: 6 }, () => s.putStream(Readable.from([data]), { digest: sha(data) })),
  );
  assert.ok(digests.every((d) => d === sha(data)));
  assert.equal(sha(s.read(sha(data))), sha(data));
  assert.deepEqual(fs.readdirSync(s.ingestDir), []);
});
