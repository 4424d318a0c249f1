/** The image filters of the listing and of prune, and the `until` values dockerd reads. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dockerTimestamp } from '../../../src/common/docker-timestamp';
import {
  imageListFilter,
  imagePruneFilter,
  referenceMatches,
} from '../../../src/engine/images/image-filters';

const img = (created: number, tags: string[], labels: Record<string, string> = {}) => ({
  created,
  tags,
  labels,
});

test('until: a Go duration back from now, unix seconds, an RFC 3339 date; anything else refused', () => {
  const now = Date.UTC(2024, 0, 2);
  assert.equal(dockerTimestamp('1h', now), now - 3_600_000);
  assert.equal(dockerTimestamp('1700000000', now), 1_700_000_000_000);
  assert.equal(dockerTimestamp('1700000000.5', now), 1_700_000_000_500);
  assert.equal(dockerTimestamp('2024-01-01T00:00:00Z', now), Date.UTC(2024, 0, 1));
  assert.throws(
    () => dockerTimestamp('yesterday', now),
    /failed to parse value as time or duration: "yesterday"/,
  );
});

test('list filters: dangling, label, before/since, reference (names and globs); unknown keys refused', () => {
  const created: Record<string, number> = { 'mid:1': 200 };
  const keep = (f: Record<string, string[]>) => imageListFilter(f, (ref) => created[ref]);
  assert.equal(keep({ dangling: ['true'] })(img(1, [])), true);
  assert.equal(keep({ dangling: ['true'] })(img(1, ['a:1'])), false);
  assert.equal(keep({ label: ['k=v'] })(img(1, [], { k: 'v' })), true);
  assert.equal(keep({ label: ['k'] })(img(1, [], {})), false);
  assert.equal(keep({ before: ['mid:1'] })(img(100, [])), true);
  assert.equal(keep({ since: ['mid:1'] })(img(100, [])), false);
  assert.equal(keep({ reference: ['busy*'] })(img(1, ['busybox:latest'])), true);
  assert.equal(keep({ reference: ['reg:5000/app'] })(img(1, ['reg:5000/app:1'])), true);
  assert.equal(keep({ reference: ['*'] })(img(1, ['reg:5000/app:1'])), false);
  assert.throws(() => keep({ bogus: ['1'] }), /invalid filter 'bogus'/);
  assert.throws(() => keep({ dangling: ['maybe'] }), /invalid filter 'dangling=maybe'/);
  assert.equal(referenceMatches('reg/app@sha256:abc', ['reg/app']), true);
});

test('prune filters: dangling=false means all; until and the labels narrow it', () => {
  const now = Date.now() / 1000;
  assert.equal(imagePruneFilter({ dangling: ['false'] }).all, true);
  assert.equal(imagePruneFilter({}).all, false);
  const old = imagePruneFilter({ until: ['1h'] }).matches;
  assert.equal(old(img(now - 7200, [])), true);
  assert.equal(old(img(now, [])), false);
  const labelled = imagePruneFilter({ label: ['a'], 'label!': ['keep'] }).matches;
  assert.equal(labelled(img(now, [], { a: '1' })), true);
  assert.equal(labelled(img(now, [], { a: '1', keep: '' })), false);
  assert.throws(() => imagePruneFilter({ reference: ['x'] }), /invalid filter 'reference'/);
});
