/**
 * Volumes across a daemon restart: records and in-use counts come back (counted again from the
 * container records), the local driver's mounts are made again, and an unreadable record is set
 * aside while the rest is served.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ConflictError } from '../../../src/common/errors';
import { startTestEngine } from '../../helpers/engine';

test('a restart keeps volume records and in-use counts, remounts driver options, sets a bad record aside', async () => {
  const a = await startTestEngine();
  let b: Awaited<ReturnType<typeof startTestEngine>> | undefined;
  try {
    const { Id } = await a.engine.createContainer({ Image: 'busybox', HostConfig: { Binds: ['held:/d'] } });
    await a.engine.createVolume({ Name: 'free', Labels: { a: 'b' } });
    await a.engine.createVolume({
      Name: 'tmpv',
      DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=1m' },
    });
    await a.engine.createVolume({ Name: 'bad' });
    await a.engine.close();
    const dir = path.join(a.root, 'volumes');
    fs.writeFileSync(path.join(dir, 'bad', 'volume.json'), '{"name": "bad", trunc');

    b = await startTestEngine({ root: a.root });
    const names = (await b.engine.listVolumes()).Volumes.map((v) => v.Name);
    assert.deepEqual(names, ['free', 'held', 'tmpv']);
    assert.equal(fs.existsSync(path.join(dir, 'bad', 'volume.json.corrupt')), true);
    assert.deepEqual((await b.engine.inspectVolume('free')).Labels, { a: 'b' });
    await assert.rejects(
      b.engine.removeVolume('held'),
      (err: Error) => err instanceof ConflictError && err.message.includes(Id),
    );
    const dangling = (await b.engine.listVolumes({ filters: { dangling: ['false'] } })).Volumes;
    assert.deepEqual(
      dangling.map((v) => v.Name),
      ['held'],
    );
    const tmpData = path.join(dir, 'tmpv', '_data');
    const mountinfo = fs.readFileSync('/proc/self/mountinfo', 'utf8');
    assert.ok(mountinfo.split('\n').some((l) => l.split(' ')[4] === tmpData && / - tmpfs /.test(l)));
    await b.engine.removeContainer(Id);
    for (const n of ['held', 'free', 'tmpv']) await b.engine.removeVolume(n);
    fs.rmSync(path.join(dir, 'bad'), { recursive: true });
  } finally {
    await (b ?? a).close();
  }
});
