/** What `container ls`, `image ls`, `inspect` and `top` print: golden strings, as docker prints them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ImageSummary } from '../../../src/engine-api/image/api';
import type { ContainerSummary } from '../../../src/engine-api/container/types';
import { renderContainerList, renderTop } from '../../../src/cli/container/render-containers';
import { renderInspect } from '../../../src/cli/format/render-inspect';
import { renderImageList } from '../../../src/cli/image/render-images';
import { TscomposeError } from '../../../src/common/errors';

const NOW = Date.UTC(2024, 0, 2, 15, 4, 5);
const S = NOW / 1000;
const opts = { now: NOW, timeZone: 'UTC' };
const hex = (start: string, fill: string): string => start.padEnd(64, fill);

const CONTAINERS: ContainerSummary[] = [
  {
    Id: hex('f0ab5d3a7d5d', '1'),
    Names: ['/festive_mendel'],
    Image: 'nginx',
    ImageID: `sha256:${hex('4dd97cefde62', '2')}`,
    Command: "/docker-entrypoint.sh nginx -g 'daemon off;'",
    Created: S - 120,
    State: 'running',
    Status: 'Up 2 minutes',
    Labels: { maintainer: 'NGINX <docker-maint@nginx.com>', a: 'b' },
    Ports: [],
    Mounts: [],
    HostConfig: { NetworkMode: 'bridge' },
    NetworkSettings: { Networks: {} },
  },
  {
    Id: hex('a1b2c3d4e5f6', '3'),
    Names: ['/web/db', '/db'],
    Image: `sha256:${hex('9e8d7c6b5a41', '4')}`,
    ImageID: `sha256:${hex('9e8d7c6b5a41', '4')}`,
    Command: 'sh',
    Created: S - 3 * 3600,
    State: 'exited',
    Status: 'Exited (0) 2 hours ago',
    Labels: {},
    Ports: [],
    Mounts: [],
    HostConfig: { NetworkMode: 'none' },
    NetworkSettings: { Networks: {} },
  },
];

test("container ls: docker's table, its widths, truncations and wording", () => {
  assert.equal(
    renderContainerList(CONTAINERS, opts),
    [
      'CONTAINER ID   IMAGE          COMMAND                  CREATED         STATUS                   PORTS     NAMES',
      'f0ab5d3a7d5d   nginx          "/docker-entrypoint.…"   2 minutes ago   Up 2 minutes                       festive_mendel',
      'a1b2c3d4e5f6   9e8d7c6b5a41   "sh"                     3 hours ago     Exited (0) 2 hours ago             db',
      '',
    ].join('\n'),
  );
  assert.equal(
    renderContainerList([], opts),
    'CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n',
  );
});

test('container ls --no-trunc, -q, -q --no-trunc', () => {
  const wide = renderContainerList(CONTAINERS, { ...opts, noTrunc: true }).split('\n');
  assert.equal(
    wide[1],
    `${CONTAINERS[0].Id}   nginx${' '.repeat(69)}"/docker-entrypoint.sh nginx -g 'daemon off;'"   2 minutes ago   Up 2 minutes                       festive_mendel`,
  );
  assert.match(wide[2], /^a1b2c3d4e5f63{52} {3}sha256:9e8d7c6b5a414{52} {3}"sh" .* {13}web\/db,db$/);
  assert.equal(renderContainerList(CONTAINERS, { ...opts, quiet: true }), 'f0ab5d3a7d5d\na1b2c3d4e5f6\n');
  assert.equal(
    renderContainerList(CONTAINERS, { ...opts, quiet: true, noTrunc: true }),
    `${CONTAINERS[0].Id}\n${CONTAINERS[1].Id}\n`,
  );
});

test('container ls --format json: one object a line, keys sorted, HTML escaped as Go', () => {
  const lines = renderContainerList(CONTAINERS, { ...opts, format: 'json' }).split('\n');
  assert.equal(
    lines[0],
    '{"Command":"\\"/docker-entrypoint.…\\"","CreatedAt":"2024-01-02 15:02:05 +0000 UTC","ID":"f0ab5d3a7d5d",' +
      '"Image":"nginx","Labels":"a=b,maintainer=NGINX \\u003cdocker-maint@nginx.com\\u003e","LocalVolumes":"0",' +
      '"Mounts":"","Names":"festive_mendel","Networks":"","Ports":"","RunningFor":"2 minutes ago","Size":"0B",' +
      '"State":"running","Status":"Up 2 minutes"}',
  );
  assert.equal(JSON.parse(lines[1]).Image, '9e8d7c6b5a41');
  assert.equal(lines.length, 3);
});

test('container ls --format TEMPLATE and table TEMPLATE', () => {
  assert.equal(
    renderContainerList(CONTAINERS, { ...opts, format: '{{.Names}}\\t{{.Status}}' }),
    'festive_mendel\tUp 2 minutes\ndb\tExited (0) 2 hours ago\n',
  );
  assert.equal(
    renderContainerList(CONTAINERS, { ...opts, format: 'table {{.ID}}\\t{{.Names}}\\t{{.State}}' }),
    'CONTAINER ID   NAMES            STATE\nf0ab5d3a7d5d   festive_mendel   running\na1b2c3d4e5f6   db               exited\n',
  );
  assert.throws(
    () => renderContainerList(CONTAINERS, { ...opts, format: '{{.Nope}}' }),
    /map has no entry for key "Nope"/,
  );
});

test("top: the engine's ps table with docker's minimum column width of 20", () => {
  const text = renderTop({
    Titles: ['UID', 'PID', 'CMD'],
    Processes: [
      ['root', '4242', 'sleep 1000'],
      ['nobody', '4300', 'sh -c while true; do sleep 1; done'],
    ],
  });
  assert.equal(
    text,
    'UID                 PID                 CMD\n' +
      'root                4242                sleep 1000\n' +
      'nobody              4300                sh -c while true; do sleep 1; done\n',
  );
});

const INSPECTED = [
  {
    Id: 'abc',
    State: { Status: 'running', ExitCode: 0, Running: true },
    Config: { Cmd: ['sh', '-c', 'a<b'], Env: null },
  },
];

test('inspect: an array indented 4 spaces; json on one line; templates', () => {
  assert.equal(
    renderInspect(INSPECTED).text,
    '[\n    {\n        "Id": "abc",\n        "State": {\n            "Status": "running",\n            "ExitCode": 0,\n' +
      '            "Running": true\n        },\n        "Config": {\n            "Cmd": [\n                "sh",\n' +
      '                "-c",\n                "a<b"\n            ],\n            "Env": null\n        }\n    }\n]\n',
  );
  assert.equal(renderInspect([]).text, '[]\n');
  assert.equal(renderInspect(INSPECTED, 'json').text, `${JSON.stringify(INSPECTED)}\n`);
  const t = (format: string) => renderInspect(INSPECTED, format);
  assert.deepEqual(t('{{.State.Status}}'), { text: 'running\n', errors: [] });
  assert.deepEqual(t('{{.Id}} exit={{.State.ExitCode}} {{.State.Running}}'), {
    text: 'abc exit=0 true\n',
    errors: [],
  });
  assert.deepEqual(t('{{json .Config.Cmd}}'), { text: '["sh","-c","a<b"]\n', errors: [] });
  assert.deepEqual(t('{{.Config.Cmd}} {{.Config.Env}}'), { text: '[sh -c a<b] <no value>\n', errors: [] });
  assert.deepEqual(t('{{ .State }}'), { text: 'map[ExitCode:0 Running:true Status:running]\n', errors: [] });
  assert.deepEqual(t('{{json .}}'), { text: `${JSON.stringify(INSPECTED[0])}\n`, errors: [] });
  assert.deepEqual(t('{{.State.Nope}}'), {
    text: '\n',
    errors: [
      'template parsing error: template: :1:8: executing "" at <.State.Nope>: map has no entry for key "Nope"',
    ],
  });
  assert.deepEqual(renderInspect([], '{{.Id}}'), { text: '\n', errors: [] });
  assert.throws(
    () => renderInspect(INSPECTED, '{{upper .Id}}'),
    (err: TscomposeError) =>
      err.message === 'template parsing error: template: :1: function "upper" not defined' &&
      err.exitCode === 64,
  );
  assert.throws(
    () => renderInspect(INSPECTED, '{{.Id'),
    /template parsing error: template: :1: unclosed action/,
  );
});

const IMAGES: ImageSummary[] = [
  {
    Id: `sha256:${hex('beae173ccac6', '5')}`,
    RepoTags: ['busybox:latest', 'docker.io/library/busybox:1.36', 'localhost:5000/team/box:v1'],
    RepoDigests: [`busybox@sha256:${'c'.repeat(64)}`],
    Created: S - 3 * 7 * 86400,
    Size: 4261296,
    Labels: {},
  },
  {
    Id: `sha256:${hex('0123456789ab', '6')}`,
    RepoTags: [],
    RepoDigests: [],
    Created: S - 30,
    Size: 0,
    Labels: {},
  },
  {
    Id: `sha256:${hex('fedcba987654', '7')}`,
    RepoTags: ['app:dev'],
    RepoDigests: [],
    Created: S - 3600,
    Size: 77_812_345,
    Labels: {},
  },
];

test("image ls: a row a tag, newest first, docker's sizes and <none>", () => {
  assert.equal(
    renderImageList(IMAGES, opts),
    [
      'REPOSITORY                TAG       IMAGE ID       CREATED             SIZE',
      '<none>                    <none>    0123456789ab   30 seconds ago      0B',
      'app                       dev       fedcba987654   About an hour ago   77.8MB',
      'busybox                   latest    beae173ccac6   3 weeks ago         4.26MB',
      'busybox                   1.36      beae173ccac6   3 weeks ago         4.26MB',
      'localhost:5000/team/box   v1        beae173ccac6   3 weeks ago         4.26MB',
      '',
    ].join('\n'),
  );
  assert.equal(
    renderImageList(IMAGES, { ...opts, quiet: true }),
    '0123456789ab\nfedcba987654\nbeae173ccac6\nbeae173ccac6\nbeae173ccac6\n',
  );
  assert.equal(
    renderImageList(IMAGES, { ...opts, noTrunc: true, format: '{{.ID}} {{.Repository}}:{{.Tag}}' }).split(
      '\n',
    )[1],
    `${IMAGES[2].Id} app:dev`,
  );
});

test("image ls --format json: docker's fields", () => {
  const lines = renderImageList(IMAGES, { ...opts, format: 'json' })
    .trimEnd()
    .split('\n');
  assert.equal(
    lines[2],
    '{"Containers":"N/A","CreatedAt":"2023-12-12 15:04:05 +0000 UTC","CreatedSince":"3 weeks ago",' +
      `"Digest":"sha256:${'c'.repeat(64)}","ID":"beae173ccac6","Repository":"busybox","SharedSize":"N/A",` +
      '"Size":"4.26MB","Tag":"latest","UniqueSize":"N/A","VirtualSize":"4.261MB"}',
  );
  assert.equal(JSON.parse(lines[0]).Repository, '<none>');
  assert.match(lines[0], /"Digest":"\\u003cnone\\u003e"/);
});

test("container ls PORTS, NETWORKS, MOUNTS: docker's folding into ranges, brackets for IPv6", () => {
  const c: ContainerSummary = {
    ...CONTAINERS[0],
    Ports: [
      { IP: '0.0.0.0', PrivatePort: 81, PublicPort: 8001, Type: 'tcp' },
      { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8000, Type: 'tcp' },
      { IP: '::', PrivatePort: 80, PublicPort: 8000, Type: 'tcp' },
      { PrivatePort: 53, Type: 'udp' },
      { PrivatePort: 9000, Type: 'tcp' },
      { IP: '127.0.0.1', PrivatePort: 53, PublicPort: 5353, Type: 'udp' },
    ],
    Mounts: [
      {
        Type: 'volume',
        Name: 'data',
        Source: '/v/data',
        Destination: '/d',
        Driver: 'local',
        Mode: 'z',
        RW: true,
        Propagation: '',
      },
      { Type: 'bind', Source: '/srv/www', Destination: '/www', Mode: '', RW: false, Propagation: 'rprivate' },
    ],
    NetworkSettings: { Networks: { front: {} as never, back: {} as never } },
  };
  const ctx = renderContainerList([c], {
    ...opts,
    format: '{{.Ports}}|{{.Networks}}|{{.Mounts}}|{{.LocalVolumes}}',
  });
  assert.equal(
    ctx,
    '9000/tcp, 0.0.0.0:8000-8001->80-81/tcp, [::]:8000->80/tcp, 53/udp, 127.0.0.1:5353->53/udp|back,front|data,/srv/www|1\n',
  );
});
