import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enginePaths } from '../../src/engine-api/paths';

test('engine paths: defaults and overrides', () => {
  const d = enginePaths({});
  assert.equal(d.root, '/var/lib/tscompose');
  assert.equal(d.socket, '/run/tscompose/engine.sock');
  assert.equal(d.images, '/var/lib/tscompose/images');
  const o = enginePaths({ TSCOMPOSE_ROOT: '/tmp/r', TSCOMPOSE_RUNROOT: '/tmp/run' });
  assert.equal(o.containers, '/tmp/r/containers');
  assert.equal(o.socket, '/tmp/run/engine.sock');
  assert.equal(enginePaths({ TSCOMPOSE_HOST: 'unix:///x/e.sock' }).socket, '/x/e.sock');
  assert.throws(() => enginePaths({ TSCOMPOSE_HOST: 'tcp://1.2.3.4:2375' }), /must be a unix:\/\/ socket/);
});
