/** Recreation decided by the config hash label, as docker compose's mustRecreate decides it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceConfigHash } from '../../../src/compose-model/config-hash';
import { CONFIG_HASH_LABEL, mustRecreate } from '../../../src/planner/recreate';

test('a container is recreated when its service changed, never for scale or dependencies', () => {
  const service = { image: 'busybox', command: ['sleep', '1'], scale: 1, depends_on: { db: {} } };
  const labels = { [CONFIG_HASH_LABEL]: serviceConfigHash(service) };
  assert.equal(mustRecreate(service, labels), false);
  assert.equal(mustRecreate({ ...service, scale: 3, depends_on: {} }, labels), false);
  assert.equal(mustRecreate({ ...service, command: ['sleep', '2'] }, labels), true);
  assert.equal(mustRecreate(service, {}), true, 'a container without the label');
  assert.equal(mustRecreate(service, labels, 'force'), true);
  assert.equal(mustRecreate({ ...service, image: 'alpine' }, labels, 'never'), false);
});
