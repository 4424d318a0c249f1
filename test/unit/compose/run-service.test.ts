/**
 * run's options applied to a service (docker compose's applyRunOptions) and the one-off's create
 * body: the service's ports only on request, its restart policy gone, -e over its environment,
 * --cap-add and --cap-drop cancelling each other, an --entrypoint clearing the command.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadProject } from '../../../src/compose-model/loader';
import { containerCreateBody } from '../../../src/compose/convert';
import { runService, type RunOptions } from '../../../src/compose/run';
import { LABEL } from '../../../src/planner/labels';
import { tmpProject } from '../../helpers/project';

const YAML = `services:
  web:
    image: busybox
    command: ["httpd", "-f"]
    entrypoint: ["/bin/sh", "-c"]
    environment: { A: one, B: two }
    ports: ["8080:80"]
    cap_add: [NET_ADMIN]
    cap_drop: [CHOWN]
    restart: always
    labels: { keep: me }
`;

const base: RunOptions = { service: 'web', ports: 'none', tty: false, interactive: true };

function setup(t: Parameters<typeof tmpProject>[0]) {
  const dir = tmpProject(t, { 'compose.yaml': YAML });
  const project = loadProject({ workingDir: dir, environment: {}, projectName: 'p' });
  return { project, web: project.services.web };
}

test('no ports without --service-ports; the service ones with it; -p ones instead', (t) => {
  const { web } = setup(t);
  assert.equal(runService(web, base).ports, undefined);
  assert.deepEqual(runService(web, { ...base, ports: 'service' }).ports, web.ports);
  const published = [{ target: 9000, published: '19000', protocol: 'tcp' }];
  assert.deepEqual(runService(web, { ...base, ports: published }).ports, published);
});

test('options over the service: command, entrypoint, env, user, workdir, caps, labels, no restart', (t) => {
  const { web } = setup(t);
  const s = runService(web, {
    ...base,
    command: ['echo', 'hi'],
    environment: { B: 'over', C: 'new' },
    user: '1000',
    workingDir: '/tmp',
    capAdd: ['CHOWN'],
    capDrop: ['NET_ADMIN', 'KILL'],
    labels: { x: 'y' },
    tty: true,
  });
  assert.deepEqual(s.command, ['echo', 'hi']);
  assert.deepEqual(s.entrypoint, ['/bin/sh', '-c']);
  assert.deepEqual(s.environment, { A: 'one', B: 'over', C: 'new' });
  assert.equal(s.user, '1000');
  assert.equal(s.workingDir, '/tmp');
  assert.deepEqual(s.capAdd, ['CHOWN']);
  assert.deepEqual(s.capDrop, ['NET_ADMIN', 'KILL']);
  assert.deepEqual(s.labels, { keep: 'me', x: 'y' });
  assert.equal(s.restart, undefined);
  assert.equal(s.tty, true);
  assert.equal(s.stdinOpen, true);
  // An entrypoint given without a command clears the service's command.
  assert.deepEqual(runService(web, { ...base, entrypoint: ['env'] }).command, []);
});

test("the one-off's body: oneoff label and slug, no container number, no restart policy, no service alias", (t) => {
  const { project, web } = setup(t);
  const { body, name } = containerCreateBody(project, runService(web, base), 0, {
    name: 'p-web-run-0123456789ab',
    oneoff: true,
    slug: '0123456789ab'.padEnd(64, '0'),
    useNetworkAliases: false,
    autoRemove: true,
  });
  assert.equal(name, 'p-web-run-0123456789ab');
  assert.equal(body.Labels?.[LABEL.oneoff], 'True');
  assert.equal(body.Labels?.[LABEL.slug], '0123456789ab'.padEnd(64, '0'));
  assert.equal(body.Labels?.[LABEL.containerNumber], undefined);
  assert.equal(body.HostConfig?.RestartPolicy, undefined);
  assert.equal(body.HostConfig?.PortBindings, undefined);
  assert.equal(body.HostConfig?.AutoRemove, true);
  assert.equal(body.NetworkingConfig?.EndpointsConfig?.p_default?.Aliases, undefined);
});
