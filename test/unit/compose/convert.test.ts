/**
 * convert: compose files written inline, loaded by the real loader, → the create bodies the
 * engine gets (compared as they go on the wire: JSON, undefined members gone).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadProject } from '../../../src/compose-model/loader';
import { serviceConfigHash } from '../../../src/compose-model/config-hash';
import { containerCreateBody, type ContainerCreateOptions } from '../../../src/compose/convert';
import { COMPOSE_LABEL_VERSION, LABEL } from '../../../src/planner/labels';
import { tmpProject } from '../../helpers/project';

type T = Parameters<typeof tmpProject>[0];
const wire = <V>(v: V): V => JSON.parse(JSON.stringify(v)) as V;

function load(t: T, yaml: string, files: Record<string, string> = {}) {
  const dir = tmpProject(t, { 'compose.yaml': yaml, ...files });
  return { dir, project: loadProject({ workingDir: dir, environment: { FROM_OS: 'os' }, projectName: 'p' }) };
}

function convert(t: T, yaml: string, service = 'web', number = 1, opts: ContainerCreateOptions = {}) {
  const { dir, project } = load(t, yaml);
  const out = containerCreateBody(project, project.services[service], number, opts);
  return { dir, project, name: out.name, body: wire(out.body), warnings: out.warnings };
}

test('a simple service: image, command, env, labels, the default network with the service alias', (t) => {
  const { dir, project, name, body } = convert(
    t,
    [
      'services:',
      '  web:',
      '    image: busybox',
      '    command: ["sh", "-c", "echo hi"]',
      '    environment:',
      '      B: two',
      '      A: one',
      '      FROM_OS:',
      '      UNSET:',
      '    labels: {mine: yes}',
      '',
    ].join('\n'),
  );
  assert.equal(name, 'p-web-1');
  assert.deepEqual(body, {
    Image: 'busybox',
    Cmd: ['sh', '-c', 'echo hi'],
    Env: ['A=one', 'B=two', 'FROM_OS=os'],
    Labels: {
      mine: 'yes',
      [LABEL.project]: 'p',
      [LABEL.service]: 'web',
      [LABEL.version]: COMPOSE_LABEL_VERSION,
      [LABEL.workingDir]: dir,
      [LABEL.configFiles]: path.join(dir, 'compose.yaml'),
      [LABEL.oneoff]: 'False',
      [LABEL.containerNumber]: '1',
      [LABEL.configHash]: serviceConfigHash(
        (project.model.services as Record<string, Record<string, unknown>>).web,
      ),
      [LABEL.dependsOn]: '',
    },
    AttachStdout: true,
    AttachStderr: true,
    HostConfig: { NetworkMode: 'p_default' },
    NetworkingConfig: { EndpointsConfig: { p_default: { Aliases: ['web'] } } },
  });
});
