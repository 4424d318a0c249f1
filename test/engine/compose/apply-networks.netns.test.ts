/**
 * The plan executor's network and volume nodes, and the connects a create is handed, against a
 * real in-process engine in a network namespace of its own.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Plan } from '../../../src/planner/plan-types';
import { applyPlan } from '../../../src/compose/apply';
import type { ApplyContext } from '../../../src/compose/apply-context';
import { useTestEngine } from '../../helpers/engine-suite';

describe('applyPlan: networks and volumes', () => {
  const suite = useTestEngine();

  test('networks and a volume made, a container on two networks with the volume, then all removed', async () => {
    const engine = suite.t.engine;
    const ctx: ApplyContext = {
      engine,
      networkBody: (key, name) => ({ Name: name, Labels: { 'com.docker.compose.network': key } }),
      volumeBody: (key, name) => ({ Name: name, Labels: { 'com.docker.compose.volume': key } }),
      createBody: (service, number, name) => ({
        body: {
          Image: 'busybox',
          Cmd: ['sleep', '1000'],
          Labels: {
            'com.docker.compose.service': service,
            'com.docker.compose.container-number': `${number}`,
          },
          HostConfig: { NetworkMode: 'demo_front', Binds: ['demo_data:/data'] },
          NetworkingConfig: { EndpointsConfig: { demo_front: { Aliases: [service] } } },
        },
        connect: [{ network: 'demo_back', endpoint: { Aliases: [service, name] } }],
      }),
      progress: { emit: () => undefined },
    };
    const up: Plan = {
      warnings: [],
      nodes: [
        { id: 'net:front', op: { kind: 'create-network', key: 'front', name: 'demo_front' }, after: [] },
        { id: 'net:back', op: { kind: 'create-network', key: 'back', name: 'demo_back' }, after: [] },
        { id: 'vol:data', op: { kind: 'create-volume', key: 'data', name: 'demo_data' }, after: [] },
        {
          id: 'create:web',
          op: { kind: 'create-container', service: 'web', number: 1, name: 'demo-web-1' },
          after: ['net:back', 'net:front', 'vol:data'],
        },
        {
          id: 'start:web',
          op: { kind: 'start-container', service: 'web', name: 'demo-web-1' },
          after: ['create:web'],
        },
      ],
    };
    const r = await applyPlan(up, ctx);
    assert.deepEqual(r.failed, []);
    const web = await engine.inspectContainer('demo-web-1');
    assert.equal(web.State.Status, 'running');
    const nets = web.NetworkSettings?.Networks ?? {};
    assert.deepEqual(Object.keys(nets).sort(), ['demo_back', 'demo_front']);
    assert.deepEqual(nets.demo_back.Aliases?.sort(), ['demo-web-1', 'web']);
    assert.equal((await engine.inspectVolume('demo_data')).Labels['com.docker.compose.volume'], 'data');
    assert.equal((await engine.inspectNetwork('demo_back')).Labels['com.docker.compose.network'], 'back');

    const down: Plan = {
      warnings: [],
      nodes: [
        { id: 'stop:web', op: { kind: 'stop-container', service: 'web', name: 'demo-web-1' }, after: [] },
        {
          id: 'rm:web',
          op: { kind: 'remove-container', service: 'web', name: 'demo-web-1' },
          after: ['stop:web'],
        },
        { id: 'rm:back', op: { kind: 'remove-network', name: 'demo_back' }, after: ['rm:web'] },
        { id: 'rm:front', op: { kind: 'remove-network', name: 'demo_front' }, after: ['rm:web'] },
        { id: 'rm:data', op: { kind: 'remove-volume', name: 'demo_data' }, after: ['rm:web'] },
      ],
    };
    const d = await applyPlan(down, ctx);
    assert.deepEqual(d.failed, []);
    assert.deepEqual(
      (await engine.listNetworks()).map((n) => n.Name).filter((n) => n.startsWith('demo')),
      [],
    );
    assert.deepEqual((await engine.listVolumes()).Volumes, []);
  });
});
