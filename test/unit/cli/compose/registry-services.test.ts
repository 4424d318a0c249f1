/** Which services `pull` and `push` work on: docker compose's WithSelectedServices, with or without --include-deps. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Project } from '../../../../src/compose-model/types';
import type { ServiceConfig } from '../../../../src/compose-model/project-types';
import { selectedServices } from '../../../../src/cli/compose/registry-services';

const service = (name: string, deps: string[] = []): ServiceConfig =>
  ({
    name,
    image: `r/${name}`,
    dependsOn: Object.fromEntries(deps.map((d) => [d, { condition: 'service_started', required: true }])),
  }) as ServiceConfig;

const project = {
  services: { web: service('web', ['db']), db: service('db', ['cache']), cache: service('cache') },
  disabled: { debug: service('debug', ['web']) },
} as unknown as Project;

const names = (s: ServiceConfig[]): string[] => s.map((x) => x.name).sort();

test('pull/push: every enabled service, those named, or those named and what they need', () => {
  assert.deepEqual(names(selectedServices(project, [], false)), ['cache', 'db', 'web']);
  assert.deepEqual(names(selectedServices(project, [], true)), ['cache', 'db', 'web']);
  assert.deepEqual(names(selectedServices(project, ['web'], false)), ['web']);
  assert.deepEqual(names(selectedServices(project, ['web'], true)), ['cache', 'db', 'web']);
  assert.deepEqual(
    names(selectedServices(project, ['debug'], false)),
    ['debug'],
    'a profile-disabled service named runs',
  );
  assert.deepEqual(names(selectedServices(project, ['debug'], true)), ['cache', 'db', 'debug', 'web']);
  assert.throws(() => selectedServices(project, ['nope'], false), /no such service: nope/);
});
