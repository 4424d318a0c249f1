/** `run`'s flags → RunOptions, and what docker compose refuses, in its words. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRunFlags, runOptions, type ComposeRunFlags } from '../../../../src/cli/compose/run-options';
import type { Project } from '../../../../src/compose-model/types';

const project = { workingDir: '/srv/app', environment: { FROM_ENV: 'here' } } as unknown as Project;
const flags = (f: Partial<ComposeRunFlags>): ComposeRunFlags => ({ pull: 'policy', ...f }) as ComposeRunFlags;

test('-e resolved against the project environment; a bare unset KEY dropped', () => {
  const o = runOptions(flags({ env: ['A=1', 'FROM_ENV', 'UNSET', 'B=x=y'] }), project, ['web']);
  assert.deepEqual(o.environment, { A: '1', FROM_ENV: 'here', B: 'x=y' });
});

test('the command, a shell-split --entrypoint, -l, -p and -v in the short syntax', () => {
  const o = runOptions(
    flags({
      entrypoint: 'sh -c "echo a"',
      label: ['k=v'],
      publish: ['127.0.0.1:9000:90/udp'],
      volume: ['./data:/data:ro', 'named:/n'],
      detach: true,
    }),
    project,
    ['web', 'ls', '-l'],
  );
  assert.deepEqual(o.command, ['ls', '-l']);
  assert.deepEqual(o.entrypoint, ['sh', '-c', 'echo a']);
  assert.deepEqual(o.labels, { k: 'v' });
  assert.deepEqual(o.ports, [{ hostIp: '127.0.0.1', target: 90, published: '9000', protocol: 'udp' }]);
  assert.equal(o.volumes?.[0].source, '/srv/app/data');
  assert.equal(o.volumes?.[0].readOnly, true);
  assert.equal(o.volumes?.[1].type, 'volume');
  assert.equal(o.tty, false, '-d never allocates a terminal');
  assert.equal(runOptions(flags({ 'service-ports': true }), project, ['web']).ports, 'service');
  assert.equal(runOptions(flags({}), project, ['web']).ports, 'none');
});

test("docker compose's refusals", () => {
  assert.throws(() => checkRunFlags(flags({ publish: ['80'], 'service-ports': true })), {
    message: '--service-ports and --publish are incompatible',
  });
  assert.throws(() => runOptions(flags({ label: ['novalue'] }), project, ['web']), {
    message: 'label must be set as KEY=VALUE',
  });
  assert.throws(() => checkRunFlags(flags({ pull: 'sometimes' })), /invalid --pull option "sometimes"/);
});
