/**
 * `up` pulls a missing image with the user's credentials (`login`), as docker compose does:
 * Debian's docker-registry with htpasswd auth on 127.0.0.1, a private DOCKER_CONFIG.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { busyboxMissing } from '../helpers/busybox-image';
import { useCliEngine } from '../helpers/cli-engine';
import { registryMissing, startRegistry, type TestRegistry } from '../helpers/registry';

const skip = busyboxMissing() || registryMissing();

describe('up with a private registry', { skip }, () => {
  const e = useCliEngine('tscompose-upauth-');
  const config = path.join(e.dir, 'docker-config');
  let reg: TestRegistry;
  let file: string;
  let image: string;
  const cli = (input: string | undefined, ...args: string[]) =>
    e.cliWith({ input, env: { ...e.env, DOCKER_CONFIG: config } }, ...args);
  const ok = (...args: string[]): string => {
    const r = cli(undefined, ...args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };

  before(async () => {
    reg = await startRegistry({ auth: 'htpasswd', users: { alice: 's3cret' } });
    image = `${reg.host}/auth/app:v1`;
    file = path.join(e.dir, 'compose.yaml');
    fs.writeFileSync(
      file,
      `name: upauth\nservices:\n  app:\n    image: ${image}\n    command: ["sleep", "60"]\n    stop_signal: SIGKILL\n`,
    );
  });
  after(async () => {
    await reg?.stop();
  });

  test("a missing image is pulled with the login's credentials; without them up fails in one line", () => {
    const login = cli('s3cret\n', 'login', '-u', 'alice', '--password-stdin', reg.host);
    assert.equal(login.status, 0, login.stderr);
    ok('image', 'tag', 'busybox', image);
    ok('image', 'push', image);
    ok('image', 'rm', image);
    ok('logout', reg.host);

    const refused = cli(undefined, '-f', file, '--progress', 'plain', 'up', '-d');
    assert.notEqual(refused.status, 0, 'up without credentials');
    assert.match(refused.stderr, /no basic auth credentials|unauthorized/i);

    assert.equal(cli('s3cret\n', 'login', '-u', 'alice', '--password-stdin', reg.host).status, 0);
    ok('-f', file, '--progress', 'plain', 'up', '-d');
    assert.match(ok('-f', file, 'ps', '--format', '{{.State}}'), /^running$/m);
    ok('-f', file, 'down');
    ok('image', 'rm', image);
  });
});
