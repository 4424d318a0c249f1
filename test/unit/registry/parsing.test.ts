import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readEngineConfig } from '../../../src/engine/engine-config';
import { decodeAuthHeader, encodeAuthHeader } from '../../../src/engine-api/registry/auth-header';
import { isInsecure } from '../../../src/engine/images/registry/endpoint';
import { registryDomain } from '../../../src/common/registry-domain';
import { describeFailure } from '../../../src/engine/images/registry/errors';
import { parsePlatform, selectManifest } from '../../../src/engine/images/registry/platform';
import { TokenCache } from '../../../src/engine/images/registry/tokens';
import { parseChallenges } from '../../../src/engine/images/registry/www-authenticate';
import { progressLine } from '../../../src/cli/format/render-progress';

test('WWW-Authenticate: Bearer and Basic challenges, quoted values with commas and escapes, several per header', () => {
  assert.deepEqual(
    parseChallenges(
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull,push"',
    ),
    [
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:library/busybox:pull,push',
        },
      },
    ],
  );
  assert.deepEqual(parseChallenges(['Basic realm="Registry Realm"']), [
    { scheme: 'basic', params: { realm: 'Registry Realm' } },
  ]);
  assert.deepEqual(parseChallenges('Basic realm=simple, Bearer realm="a\\"b", error="insufficient_scope"'), [
    { scheme: 'basic', params: { realm: 'simple' } },
    { scheme: 'bearer', params: { realm: 'a"b', error: 'insufficient_scope' } },
  ]);
  assert.deepEqual(parseChallenges(undefined), []);
});

test('X-Registry-Auth: base64url JSON with padding, as dockerd reads it; docker CLI forms decoded', () => {
  const header = encodeAuthHeader({ username: 'me', password: 'p?>>', serveraddress: 'localhost:5000' });
  assert.doesNotMatch(header, /[+/]/);
  assert.equal(header.length % 4, 0);
  assert.deepEqual(decodeAuthHeader(header), {
    username: 'me',
    password: 'p?>>',
    serveraddress: 'localhost:5000',
  });
  const withAuth = Buffer.from(JSON.stringify({ auth: Buffer.from('u:p:q').toString('base64') })).toString(
    'base64url',
  );
  assert.deepEqual(decodeAuthHeader(withAuth), { username: 'u', password: 'p:q' });
  assert.equal(decodeAuthHeader(''), undefined);
  assert.equal(decodeAuthHeader('e30='), undefined); // `{}`: anonymous
  assert.deepEqual(decodeAuthHeader(encodeAuthHeader({ identitytoken: 'tok' })), { identitytoken: 'tok' });
  assert.throws(() => decodeAuthHeader('%%%'), /invalid X-Registry-Auth header/);
});

test('plain HTTP only for loopback names and listed insecure registries; login servers to domains', (t) => {
  assert.equal(isInsecure('localhost:5000'), true);
  assert.equal(isInsecure('127.0.0.1:41234'), true);
  assert.equal(isInsecure('[::1]:5000'), true);
  assert.equal(isInsecure('registry.example.com'), false);
  assert.equal(isInsecure('10.0.0.5:5000'), false);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-engine-config-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'engine.json');
  fs.writeFileSync(file, JSON.stringify({ 'insecure-registries': ['myreg:5000', 'http://other.lan'] }));
  const config = readEngineConfig({ TSCOMPOSE_CONFIG: file });
  assert.equal(isInsecure('myreg:5000', config), true);
  assert.equal(isInsecure('myreg:5001', config), false);
  assert.equal(isInsecure('other.lan:443', config), true);
  assert.deepEqual(readEngineConfig({ TSCOMPOSE_CONFIG: path.join(dir, 'none.json') }), {});
  fs.writeFileSync(file, '{"insecure-registries": "myreg"}');
  assert.throws(() => readEngineConfig({ TSCOMPOSE_CONFIG: file }), /"insecure-registries" must be a list/);
  fs.writeFileSync(file, '{oops');
  assert.throws(() => readEngineConfig({ TSCOMPOSE_CONFIG: file }), /engine\.json: invalid JSON/);

  assert.equal(registryDomain(undefined), 'docker.io');
  assert.equal(registryDomain('https://index.docker.io/v1/'), 'docker.io');
  assert.equal(registryDomain('http://LocalHost:5000/v2/'), 'localhost:5000');
  assert.equal(registryDomain('ghcr.io'), 'ghcr.io');
});

test('platforms: parsed with aliases, chosen from an index, a missing one named', () => {
  assert.deepEqual(parsePlatform('linux/x86_64'), { os: 'linux', architecture: 'amd64', variant: undefined });
  assert.deepEqual(parsePlatform('linux/arm64/v8'), {
    os: 'linux',
    architecture: 'arm64',
    variant: undefined,
  });
  assert.deepEqual(parsePlatform('linux/arm'), { os: 'linux', architecture: 'arm', variant: 'v7' });
  assert.throws(() => parsePlatform('linux'), /invalid platform "linux"/);
  const entries = [
    { digest: 'sha256:1', size: 1, platform: { os: 'linux', architecture: 'arm', variant: 'v6' } },
    { digest: 'sha256:2', size: 1, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
    { digest: 'sha256:3', size: 1, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    { digest: 'sha256:4', size: 1, platform: { os: 'unknown', architecture: 'unknown' } },
    { digest: 'sha256:5', size: 1, platform: { os: 'linux', architecture: 'amd64' } },
  ];
  assert.equal(selectManifest(entries, parsePlatform('linux/amd64')).digest, 'sha256:5');
  assert.equal(selectManifest(entries, parsePlatform('linux/arm64')).digest, 'sha256:3');
  assert.equal(selectManifest(entries, parsePlatform('linux/arm/v6')).digest, 'sha256:1');
  assert.equal(selectManifest(entries, parsePlatform('linux/arm')).digest, 'sha256:2');
  assert.throws(
    () => selectManifest(entries, parsePlatform('linux/riscv64')),
    /^RegistryError: no matching manifest for linux\/riscv64 in the manifest list entries$/,
  );
});

test('registry errors in docker wording; token cache expiry; progress lines', () => {
  assert.equal(
    describeFailure(
      404,
      'Not Found',
      '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{}}]}',
    ),
    'manifest unknown: manifest unknown',
  );
  assert.equal(describeFailure(401, 'Unauthorized', ''), 'unauthorized: authentication required');
  assert.equal(describeFailure(502, 'Bad Gateway', '<html>'), '502 Bad Gateway');
  const cache = new TokenCache();
  cache.set('k', { token: 't' }, 1000);
  assert.deepEqual(cache.get('k', 999), { token: 't' });
  assert.equal(cache.get('k', 1000), undefined);
  assert.equal(progressLine({ status: 'Pulling fs layer', id: 'abc' }, true), 'abc: Pulling fs layer');
  assert.equal(
    progressLine(
      { status: 'Downloading', id: 'abc', progressDetail: { current: 500_000, total: 1_000_000 } },
      true,
    ),
    `abc: Downloading [${'='.repeat(25)}>${' '.repeat(25)}]    500kB/1MB`,
  );
  assert.equal(progressLine({ status: 'Digest: sha256:x' }, false), 'Digest: sha256:x');
});
