import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceConfigHash, stableStringify } from '../../../src/compose-model/config-hash';

const base = {
  image: 'busybox',
  command: ['sleep', '1'],
  environment: { A: '1', B: '2' },
  depends_on: { db: { condition: 'service_started', required: true } },
  deploy: { replicas: 1, resources: { limits: { memory: '64m' } } },
};

test('the hash ignores build, pull_policy, scale, deploy.replicas, depends_on and profiles', () => {
  const h = serviceConfigHash(base);
  const same = [
    { ...base, build: { context: '/x', dockerfile: 'Dockerfile' } },
    { ...base, pull_policy: 'always' },
    { ...base, scale: 3 },
    { ...base, deploy: { ...base.deploy, replicas: 5 } },
    { ...base, depends_on: {} },
    { ...base, profiles: ['debug'] },
    { ...base, environment: { B: '2', A: '1' } },
  ];
  for (const svc of same) assert.equal(serviceConfigHash(svc), h, JSON.stringify(svc));
});

test('the hash changes with anything else', () => {
  const h = serviceConfigHash(base);
  const different = [
    { ...base, image: 'busybox:1' },
    { ...base, command: ['sleep', '2'] },
    { ...base, environment: { A: '1', B: '3' } },
    { ...base, deploy: { ...base.deploy, resources: { limits: { memory: '128m' } } } },
  ];
  for (const svc of different) assert.notEqual(serviceConfigHash(svc), h, JSON.stringify(svc));
  assert.match(h, /^[0-9a-f]{64}$/);
});

test('stableStringify sorts keys and drops undefined members', () => {
  assert.equal(stableStringify({ b: 1, a: [{ d: undefined, c: null }] }), '{"a":[{"c":null}],"b":1}');
});
