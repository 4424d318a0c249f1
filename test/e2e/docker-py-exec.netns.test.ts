/**
 * docker-py (Debian's python3-docker, which docker-compose 1.29 is made of) reads an exec's
 * output through the connection it upgraded: the engine must answer 101 before the command
 * starts, as dockerd does, or output that came along with the reply is lost (a third of short
 * execs lost theirs before).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, test } from 'node:test';
import { busyboxMissing } from '../helpers/busybox-image';
import { useCliEngine } from '../helpers/cli-engine';

const hasDockerPy = spawnSync('python3', ['-c', 'import docker'], { timeout: 20_000 }).status === 0;
const skip =
  busyboxMissing() ||
  (hasDockerPy ? false : 'python3-docker is not installed (apt-get install docker-compose)');

const SCRIPT = `
import sys, docker
c = docker.DockerClient(base_url='unix://' + sys.argv[1], version='1.41')
ct = c.containers.run('busybox', 'sleep 60', detach=True)
try:
    for i in range(20):
        r = ct.exec_run(['echo', 'hi%d' % i])
        assert r.exit_code == 0 and r.output == b'hi%d\\n' % i, (i, r)
    r = ct.exec_run(['sh', '-c', 'echo out; echo err >&2; exit 4'], demux=True)
    assert r.exit_code == 4 and r.output == (b'out\\n', b'err\\n'), r
    r = ct.exec_run(['nosuch'])
    assert r.exit_code == 126 and b'executable file not found' in r.output, r
finally:
    ct.remove(force=True)
print('ok')
`;

describe('docker-py against the engine', { skip }, () => {
  const e = useCliEngine('tscompose-dockerpy-');

  test('20 short execs in a row keep their output; demuxed streams and exit codes; a missing command', () => {
    assert.equal(e.cli('container', 'ls').status, 0);
    const r = spawnSync('python3', ['-c', SCRIPT, path.join(e.runRoot, 'engine.sock')], {
      encoding: 'utf8',
      timeout: 120_000,
      killSignal: 'SIGKILL',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'ok\n');
  });
});
