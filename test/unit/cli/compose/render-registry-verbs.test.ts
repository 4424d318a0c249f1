/** What `images`, `ls` and `version` print, and the pure decisions of `pull`, `push` and `ls --filter`: golden strings as docker compose v2 prints them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerSummary } from '../../../../src/engine-api/container/types';
import type { ServiceConfig } from '../../../../src/compose-model/project-types';
import type { ContainerImage } from '../../../../src/compose/images';
import { combinedStatus, containersToStacks } from '../../../../src/compose/ls';
import { skipReason } from '../../../../src/compose/pull';
import { pushTags } from '../../../../src/compose/push';
import { renderImages } from '../../../../src/cli/compose/render-images';
import { renderLs } from '../../../../src/cli/compose/render-ls';
import { lsFilters, nameMatches } from '../../../../src/cli/compose/ls';
import { versionText } from '../../../../src/cli/compose/version';

const NOW = Date.UTC(2024, 0, 2, 15, 4, 5);
const ID = `sha256:${'9e8d7c6b5a41'.padEnd(64, '4')}`;
const ID2 = `sha256:${'123456789abc'.padEnd(64, '0')}`;

const IMAGES: ContainerImage[] = [
  {
    container: 'demo-cache-1',
    id: ID,
    repository: 'busybox',
    tag: 'latest',
    platform: 'linux/amd64',
    size: 4_261_550,
    created: new Date(NOW - 3 * 3600_000).toISOString(),
  },
  {
    container: 'demo-web-1',
    id: ID,
    repository: '127.0.0.1:5000/team/web',
    tag: 'v1',
    platform: 'linux/arm64/v8',
    size: 999,
  },
  { container: 'demo-x-1', id: ID2, repository: '', tag: '', platform: 'linux/amd64', size: 0 },
];

test('images: the table, at least 20 wide and 3 apart, <none> and N/A where docker compose has them', () => {
  assert.equal(
    renderImages(IMAGES, { format: 'table', now: NOW }),
    [
      'CONTAINER           REPOSITORY                TAG                 PLATFORM            IMAGE ID            SIZE                CREATED',
      'demo-cache-1        busybox                   latest              linux/amd64         9e8d7c6b5a41        4.26MB              3 hours ago',
      'demo-web-1          127.0.0.1:5000/team/web   v1                  linux/arm64/v8      9e8d7c6b5a41        999B                N/A',
      'demo-x-1            <none>                    <none>              linux/amd64         123456789abc        0B                  N/A',
      '',
    ].join('\n'),
  );
});

test('images -q: each id once, without its algorithm; --format json: one array of docker compose fields', () => {
  assert.equal(
    renderImages(IMAGES, { format: 'table', quiet: true, now: NOW }),
    `${ID.slice(7)}\n${ID2.slice(7)}\n`,
  );
  const json = renderImages(IMAGES.slice(0, 2), { format: 'json', now: NOW });
  assert.ok(json.endsWith(']\n'));
  assert.deepEqual(JSON.parse(json), [
    {
      ID,
      ContainerName: 'demo-cache-1',
      Repository: 'busybox',
      Tag: 'latest',
      Platform: 'linux/amd64',
      Size: 4_261_550,
      Created: new Date(NOW - 3 * 3600_000).toISOString(),
    },
    {
      ID,
      ContainerName: 'demo-web-1',
      Repository: '127.0.0.1:5000/team/web',
      Tag: 'v1',
      Platform: 'linux/arm64/v8',
      Size: 999,
    },
  ]);
  assert.equal(renderImages([], { format: 'json', now: NOW }), '[]\n');
  assert.throws(
    () => renderImages(IMAGES, { format: '{{.ID}}', now: NOW }),
    /format value "\{\{\.ID\}\}" could not be parsed/,
  );
});

function container(project: string, state: ContainerSummary['State'], files?: string): ContainerSummary {
  return {
    Id: 'x',
    Names: ['/x'],
    Image: 'busybox',
    ImageID: ID,
    Command: 'sh',
    Created: 0,
    State: state,
    Status: '',
    Labels: {
      'com.docker.compose.project': project,
      ...(files === undefined ? {} : { 'com.docker.compose.project.config_files': files }),
    },
    Ports: [],
    Mounts: [],
    HostConfig: { NetworkMode: 'default' },
    NetworkSettings: { Networks: {} },
  };
}

test('ls: projects sorted, states counted and sorted, config files each once, N/A for a container without them', () => {
  assert.equal(combinedStatus(['running', 'exited', 'running']), 'exited(1), running(2)');
  assert.equal(combinedStatus([]), '');
  const stacks = containersToStacks([
    container('web', 'running', '/p/compose.yaml,/p/override.yaml'),
    container('app', 'exited', '/a/compose.yaml'),
    container('web', 'exited', '/p/compose.yaml'),
    container('web', 'running', '/p/compose.yaml'),
    container('odd', 'running'),
  ]);
  assert.deepEqual(stacks, [
    { Name: 'app', Status: 'exited(1)', ConfigFiles: '/a/compose.yaml' },
    { Name: 'odd', Status: 'running(1)', ConfigFiles: 'N/A' },
    { Name: 'web', Status: 'exited(1), running(2)', ConfigFiles: '/p/compose.yaml,/p/override.yaml' },
  ]);
  assert.equal(
    renderLs(stacks.slice(0, 1), { format: 'table' }),
    'NAME                STATUS              CONFIG FILES\napp                 exited(1)           /a/compose.yaml\n',
  );
  assert.equal(renderLs(stacks, { format: 'json', quiet: true }), 'app\nodd\nweb\n');
  assert.equal(
    renderLs(stacks.slice(0, 1), { format: 'json' }),
    '[{"Name":"app","Status":"exited(1)","ConfigFiles":"/a/compose.yaml"}]\n',
  );
  assert.equal(renderLs([], { format: 'json' }), '[]\n');
  assert.throws(() => renderLs(stacks, { format: 'yaml' }), /format value "yaml" could not be parsed/);
});

test('ls --filter: name only; exact or a pattern found in the name, as docker filters match', () => {
  assert.deepEqual(lsFilters(['name=web', 'name=^a']), { name: ['web', '^a'] });
  assert.throws(() => lsFilters(['status=running']), /invalid filter 'status'/);
  assert.throws(() => lsFilters(['web']), /bad format of filter \(expected name=value\)/);
  assert.equal(nameMatches('web', []), true);
  assert.equal(nameMatches('myweb2', ['web']), true);
  assert.equal(nameMatches('app', ['^a', 'zzz']), true);
  assert.equal(nameMatches('app', ['^b']), false);
  assert.equal(nameMatches('a(b', ['a(b']), true, 'an invalid pattern still matches exactly');
});

const svc = (over: Partial<ServiceConfig>): ServiceConfig => ({ name: 's', ...over }) as ServiceConfig;

test('pull: an explicit pull refreshes unless the policy says otherwise; missing skips only a non-latest tag present', () => {
  const tagged = svc({ image: 'r/app:v1' });
  assert.equal(skipReason(tagged, true), undefined, 'no pull_policy: always pulled');
  assert.equal(skipReason(tagged, true, 'missing'), 'Image is already present locally');
  assert.equal(
    skipReason(svc({ image: 'r/app:v1', pullPolicy: 'if_not_present' }), true),
    'Image is already present locally',
  );
  assert.equal(skipReason(tagged, false, 'missing'), undefined);
  assert.equal(skipReason(svc({ image: 'r/app' }), true, 'missing'), undefined, 'latest is expected to move');
  assert.equal(skipReason(svc({ image: 'r/app:v1', pullPolicy: 'missing' }), true, 'always'), undefined);
  assert.equal(skipReason(svc({ image: 'r/app:v1', pullPolicy: 'never' }), false), '');
  assert.equal(skipReason(svc({ image: 'r/app:v1', pullPolicy: 'build' }), false), '');
  assert.equal(
    skipReason(svc({ image: 'r/app:v1', pullPolicy: 'daily' }), true),
    undefined,
    'a refresh window is due now',
  );
});

test('push: only a service with build and image has tags to push, its build tags too', () => {
  assert.deepEqual(pushTags(svc({ image: 'r/app:v1' })), []);
  assert.deepEqual(pushTags(svc({ build: { context: '.' } } as Partial<ServiceConfig>)), []);
  assert.deepEqual(
    pushTags(
      svc({
        image: 'r/app:v1',
        build: { context: '.', tags: ['r/app:v1', 'r/app:latest'] },
      } as Partial<ServiceConfig>),
    ),
    ['r/app:v1', 'r/app:latest'],
  );
});

test('version: docker compose shapes', () => {
  assert.equal(versionText('0.1.0', {}), 'tscompose version v0.1.0\n');
  assert.equal(versionText('0.1.0', { format: 'pretty' }), 'tscompose version v0.1.0\n');
  assert.equal(versionText('0.1.0', { format: 'json' }), '{"version":"v0.1.0"}\n');
  assert.equal(versionText('0.1.0', { short: true, format: 'json' }), '0.1.0\n');
  assert.throws(() => versionText('0.1.0', { format: 'yaml' }), /invalid --format "yaml"/);
});
