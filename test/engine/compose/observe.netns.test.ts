/**
 * observe() against a real in-process engine in a namespace of its own: the project's
 * containers by their labels (stopped ones, one-offs, exit codes, health, networks, named
 * volumes), its networks and volumes by label and by the names its files give them, another
 * project's left out, and the image ids of the services' images.
 */
import assert from 'node:assert/strict';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { loadProject } from '../../../src/compose-model/loader';
import { observe } from '../../../src/compose/observe';
import { LABEL } from '../../../src/planner/labels';
import { useTestEngine } from '../../helpers/engine-suite';

const project = loadProject({
  workingDir: os.tmpdir(),
  configFiles: ['-'],
  environment: {},
  stdin: `
name: demo
services:
  web: {image: busybox, volumes: [data:/data]}
  tool: {image: missing:1}
networks:
  shared: {external: true}
volumes:
  data: {}
`,
});

describe('observe', () => {
  const suite = useTestEngine();

  test('containers, networks, volumes and images of one project', async () => {
    const engine = suite.t.engine;
    const labels = (
      service: string,
      n: number,
      extra: Record<string, string> = {},
    ): Record<string, string> => ({
      [LABEL.project]: 'demo',
      [LABEL.service]: service,
      [LABEL.containerNumber]: String(n),
      [LABEL.oneoff]: 'False',
      ...extra,
    });
    const ours = { [LABEL.project]: 'demo' };
    await engine.createNetwork({ Name: 'demo_default', Labels: ours });
    await engine.createNetwork({ Name: 'shared' });
    await engine.createNetwork({ Name: 'other_default', Labels: { [LABEL.project]: 'other' } });
    await engine.createVolume({ Name: 'demo_data', Labels: ours });
    await engine.createVolume({ Name: 'stray' });
    const web = await suite.started(['sleep', '300'], {
      Labels: labels('web', 1),
      Healthcheck: { Test: ['CMD', 'true'], Interval: 100_000_000 },
      HostConfig: {
        NetworkMode: 'demo_default',
        Mounts: [{ Type: 'volume', Source: 'demo_data', Target: '/data' }],
      },
    });
    const done = await suite.started(['sh', '-c', 'exit 3'], { Labels: labels('web', 2) });
    const { Id: runOnce } = await engine.createContainer(
      { Image: 'busybox', Labels: labels('web', 0, { [LABEL.oneoff]: 'True' }) },
      'demo-web-run-1',
    );
    const { Id: foreign } = await engine.createContainer({
      Image: 'busybox',
      Labels: { [LABEL.project]: 'other' },
    });
    try {
      await engine.waitContainer(done, 'not-running');
      for (let i = 0; i < 50 && (await engine.inspectContainer(web)).State.Health?.Status !== 'healthy'; i++)
        await sleep(100);

      const o = await observe(engine, 'demo', project);
      const busybox = String((await engine.inspectImage('busybox')).Id);
      assert.deepEqual(o.images, { busybox }, 'missing:1 is not on the engine');
      assert.deepEqual(
        o.networks.map((n) => n.name),
        ['demo_default', 'shared'],
      );
      assert.deepEqual(
        o.volumes.map((v) => v.name),
        ['demo_data'],
      );
      const byName = Object.fromEntries(o.containers.map((c) => [c.name, c]));
      assert.deepEqual(
        Object.keys(byName).sort(),
        [
          (await engine.inspectContainer(web)).Name.slice(1),
          (await engine.inspectContainer(done)).Name.slice(1),
          'demo-web-run-1',
        ].sort(),
      );
      const w = o.containers.find((c) => c.id === web);
      assert.deepEqual(
        { ...w, labels: undefined, name: undefined },
        {
          id: web,
          name: undefined,
          service: 'web',
          number: 1,
          oneoff: false,
          state: 'running',
          health: 'healthy',
          imageId: busybox,
          labels: undefined,
          networks: ['demo_default'],
          volumes: ['demo_data'],
        },
      );
      const d = o.containers.find((c) => c.id === done);
      assert.equal(d?.state, 'exited');
      assert.equal(d?.exitCode, 3);
      assert.equal(d?.number, 2);
      const once = o.containers.find((c) => c.id === runOnce);
      assert.equal(once?.oneoff, true);
      assert.equal(once?.state, 'created');

      // Without files (`down -p demo`): the labelled resources and the containers' images.
      const bare = await observe(engine, 'demo');
      assert.deepEqual(
        bare.networks.map((n) => n.name),
        ['demo_default'],
      );
      assert.deepEqual(Object.keys(bare.images), ['busybox']);
    } finally {
      for (const id of [web, done, runOnce, foreign]) await engine.removeContainer(id, { force: true });
      for (const n of ['demo_default', 'shared', 'other_default']) await engine.removeNetwork(n);
      for (const v of ['demo_data', 'stray']) await engine.removeVolume(v);
    }
  });
});
