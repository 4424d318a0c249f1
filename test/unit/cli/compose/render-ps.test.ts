/** What `ps` prints: golden strings, as docker compose v2 prints them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerSummary } from '../../../../src/engine-api/container/types';
import type { PsEntry } from '../../../../src/compose/ps';
import { renderPs } from '../../../../src/cli/compose/render-ps';
import { statusFilter } from '../../../../src/cli/compose/ps';

const NOW = Date.UTC(2024, 0, 2, 15, 4, 5);
const S = NOW / 1000;
const hex = (start: string, fill: string): string => start.padEnd(64, fill);

const labels = (service: string, n: number): Record<string, string> => ({
  'com.docker.compose.project': 'demo',
  'com.docker.compose.service': service,
  'com.docker.compose.container-number': String(n),
  'com.docker.compose.oneoff': 'False',
});

function container(over: Partial<ContainerSummary>): ContainerSummary {
  return {
    Id: hex('0', '0'),
    Names: ['/x'],
    Image: 'busybox',
    ImageID: `sha256:${hex('9e8d7c6b5a41', '4')}`,
    Command: 'sh',
    Created: S - 120,
    State: 'running',
    Status: 'Up 2 minutes',
    Labels: {},
    Ports: [],
    Mounts: [],
    HostConfig: { NetworkMode: 'demo_default' },
    NetworkSettings: { Networks: {} },
    ...over,
  };
}

const WEB: PsEntry = {
  container: container({
    Id: hex('a1b2c3d4e5f6', '1'),
    Names: ['/demo-web-1'],
    Image: 'nginx:1.25',
    Command: "/docker-entrypoint.sh nginx -g 'daemon off;'",
    Status: 'Up 2 minutes (healthy)',
    Labels: labels('web', 1),
    // Out of order, a range, an exposed-only port: sorted, folded, as docker compose shows them.
    Ports: [
      { IP: '0.0.0.0', PrivatePort: 81, PublicPort: 8081, Type: 'tcp' },
      { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
      { PrivatePort: 9000, Type: 'tcp' },
    ],
    Mounts: [
      {
        Type: 'volume',
        Name: 'demo_data',
        Source: '/var/lib/x',
        Destination: '/data',
        Driver: 'local',
        Mode: 'z',
        RW: true,
        Propagation: '',
      },
    ],
    NetworkSettings: { Networks: { demo_default: {} } },
  }),
  health: 'healthy',
  exitCode: 0,
};

const DB: PsEntry = {
  container: container({
    Id: hex('f0ab5d3a7d5d', '2'),
    Names: ['/demo-db-1'],
    Image: 'postgres',
    Command: 'docker-entrypoint.sh postgres',
    Created: S - 3 * 3600,
    State: 'exited',
    Status: 'Exited (3) 2 hours ago',
    Labels: labels('db', 1),
  }),
  health: '',
  exitCode: 3,
};

const opts = { now: NOW, timeZone: 'UTC' };

test("ps: docker compose's table, its columns, truncations and the health in STATUS", () => {
  assert.equal(
    renderPs([DB, WEB], opts),
    'NAME         IMAGE        COMMAND                  SERVICE   CREATED         STATUS                   PORTS\n' +
      'demo-db-1    postgres     "docker-entrypoint.s…"   db        3 hours ago     Exited (3) 2 hours ago   \n' +
      'demo-web-1   nginx:1.25   "/docker-entrypoint.…"   web       2 minutes ago   Up 2 minutes (healthy)   ' +
      '9000/tcp, 0.0.0.0:8080-8081->80-81/tcp\n',
  );
  // No containers: the header alone.
  assert.equal(renderPs([], opts), 'NAME      IMAGE     COMMAND   SERVICE   CREATED   STATUS    PORTS\n');
});

test('ps --no-trunc keeps the whole command', () => {
  const out = renderPs([WEB], { ...opts, noTrunc: true, format: '{{.ID}} {{.Command}}' });
  assert.equal(out, `${WEB.container.Id} "/docker-entrypoint.sh nginx -g 'daemon off;'"\n`);
});

test('ps --format json: one object a line, fields in Go order with their JSON types', () => {
  const lines = renderPs([WEB, DB], { ...opts, format: 'json' }).split('\n');
  assert.equal(lines.length, 3);
  assert.equal(lines[2], '');
  const web = JSON.parse(lines[0]);
  assert.deepEqual(Object.keys(web), [
    'Command',
    'CreatedAt',
    'ExitCode',
    'Health',
    'ID',
    'Image',
    'Labels',
    'LocalVolumes',
    'Mounts',
    'Name',
    'Names',
    'Networks',
    'Ports',
    'Project',
    'Publishers',
    'RunningFor',
    'Service',
    'Size',
    'State',
    'Status',
  ]);
  assert.deepEqual(web, {
    Command: '"/docker-entrypoint.…"',
    CreatedAt: '2024-01-02 15:02:05 +0000 UTC',
    ExitCode: 0,
    Health: 'healthy',
    ID: 'a1b2c3d4e5f6',
    Image: 'nginx:1.25',
    Labels:
      'com.docker.compose.container-number=1,com.docker.compose.oneoff=False,' +
      'com.docker.compose.project=demo,com.docker.compose.service=web',
    LocalVolumes: '1',
    Mounts: 'demo_data',
    Name: 'demo-web-1',
    Names: 'demo-web-1',
    Networks: 'demo_default',
    Ports: '9000/tcp, 0.0.0.0:8080-8081->80-81/tcp',
    Project: 'demo',
    Publishers: [
      { URL: '0.0.0.0', TargetPort: 80, PublishedPort: 8080, Protocol: 'tcp' },
      { URL: '0.0.0.0', TargetPort: 81, PublishedPort: 8081, Protocol: 'tcp' },
      { URL: '', TargetPort: 9000, PublishedPort: 0, Protocol: 'tcp' },
    ],
    RunningFor: '2 minutes ago',
    Service: 'web',
    Size: '0B',
    State: 'running',
    Status: 'Up 2 minutes (healthy)',
  });
  const db = JSON.parse(lines[1]);
  assert.equal(db.ExitCode, 3);
  assert.equal(db.State, 'exited');
  assert.deepEqual(db.Publishers, []);
});

test('ps -q prints full ids; --services each service once, in container order', () => {
  assert.equal(renderPs([DB, WEB], { ...opts, quiet: true }), `${DB.container.Id}\n${WEB.container.Id}\n`);
  const web2: PsEntry = { ...WEB, container: { ...WEB.container, Names: ['/demo-web-2'] } };
  assert.equal(renderPs([DB, WEB, web2], { ...opts, services: true }), 'db\nweb\n');
  // docker compose prints the empty join with Println.
  assert.equal(renderPs([], { ...opts, services: true }), '\n');
});

test('ps --format with a template, and table TEMPLATE with compose headers', () => {
  assert.equal(
    renderPs([WEB, DB], { ...opts, format: '{{.Service}}:{{.State}}:{{.ExitCode}}:{{.Health}}' }),
    'web:running:0:healthy\ndb:exited:3:\n',
  );
  assert.equal(
    renderPs([WEB, DB], { ...opts, format: '{{.Publishers}}' }),
    '[{0.0.0.0 80 8080 tcp} {0.0.0.0 81 8081 tcp} { 9000 0 tcp}]\n[]\n',
  );
  assert.equal(
    renderPs([WEB], { ...opts, format: 'table {{.Name}}\\t{{.Project}}' }),
    'NAME         PROJECT\ndemo-web-1   demo\n',
  );
});

test('ps --status and --filter status=: values checked as docker compose lists them', () => {
  assert.deepEqual(statusFilter(['running'], 'status=exited'), ['running', 'exited']);
  assert.deepEqual(statusFilter(undefined, undefined), []);
  assert.throws(() => statusFilter(['up']), /invalid status "up"/);
  assert.throws(() => statusFilter([], 'status'), /should be in form KEY=VAL/);
  assert.throws(() => statusFilter([], 'source=x'), /unknown filter source/);
});
