/**
 * The official docker CLI against the engine for images, as against dockerd 20.10 (API 1.41,
 * what the engine serves): the fields of `images --format '{{json .}}'`, `history` and
 * `image inspect`, tag/rmi/save/load/import, prune with filters, and pull/push/login/logout
 * against Debian's docker-registry with htpasswd auth: an unauthorized pull is dockerd's 500
 * `no basic auth credentials` (a 401 would send the CLI into its login prompt), exit 1.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { busyboxLayers, busyboxMissing } from '../helpers/busybox-image';
import { useCliEngine } from '../helpers/cli-engine';
import { DOCKER_BIN, dockerCli } from '../helpers/docker-cli';
import { registryMissing, startRegistry, type TestRegistry } from '../helpers/registry';

const skip = (!DOCKER_BIN && 'the docker CLI is not installed') || busyboxMissing();

describe('docker CLI: images', { skip }, () => {
  const engine = useCliEngine('tscompose-dk-img-');
  const { docker, dockerWith } = dockerCli(engine);
  const ok = (...args: string[]): string => {
    const r = docker(...args);
    assert.equal(r.status, 0, `docker ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const rootfs = (): string => busyboxLayers().layers[0];
  const jsonLines = (text: string): Record<string, string>[] =>
    text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, string>);

  test('version negotiates the engine API 1.41; a path version above it is dockerd 400', () => {
    assert.equal(
      ok('version', '--format', '{{.Server.APIVersion}} {{.Client.APIVersion}}').trim(),
      '1.41 1.41',
    );
    const tooNew = dockerWith(
      { env: { DOCKER_API_VERSION: '1.50' } },
      'version',
      '--format',
      '{{.Server.APIVersion}}',
    );
    assert.equal(tooNew.status, 1);
    assert.match(tooNew.stderr, /client version 1\.50 is too new\. Maximum supported API version is 1\.41/);
  });

  test('images, tag, rmi, import -m -c, image inspect: dockerd 1.41 fields', () => {
    const id = ok('import', '-m', 'a msg', '-c', 'CMD ["sh"]', rootfs(), 'dk-imp:1').trim();
    assert.match(id, /^sha256:[0-9a-f]{64}$/);
    ok('tag', 'dk-imp:1', 'dk-imp:2');
    const rows = jsonLines(ok('images', '--format', '{{json .}}', 'dk-imp'));
    assert.deepEqual(
      rows.map((r) => r.Tag),
      ['1', '2'],
    );
    assert.deepEqual(Object.keys(rows[0]).sort(), [
      'Containers',
      'CreatedAt',
      'CreatedSince',
      'Digest',
      'ID',
      'Repository',
      'SharedSize',
      'Size',
      'Tag',
      'UniqueSize',
      'VirtualSize',
    ]);
    // dockerd's listing does not count containers nor shared bytes: the CLI shows N/A.
    assert.deepEqual([rows[0].Containers, rows[0].SharedSize, rows[0].UniqueSize], ['N/A', 'N/A', 'N/A']);
    assert.equal(rows[0].ID, id.slice(7, 19));
    assert.equal(ok('images', '-q', '--filter', 'reference=dk-imp:2').trim(), id.slice(7, 19));
    assert.equal(ok('images', '-q', '--filter', 'dangling=true'), '');

    const [inspect] = JSON.parse(ok('image', 'inspect', 'dk-imp:1')) as Record<string, unknown>[];
    assert.deepEqual(Object.keys(inspect), [
      'Id',
      'RepoTags',
      'RepoDigests',
      'Parent',
      'Comment',
      'Created',
      'Container',
      'ContainerConfig',
      'DockerVersion',
      'Author',
      'Config',
      'Architecture',
      'Os',
      'Size',
      'VirtualSize',
      'GraphDriver',
      'RootFS',
      'Metadata',
    ]);
    assert.equal(inspect.Comment, 'a msg');
    assert.deepEqual((inspect.Config as { Cmd: string[] }).Cmd, ['sh']);
    assert.equal((inspect.Config as { Env: null }).Env, null);
    assert.equal((inspect.GraphDriver as { Name: string }).Name, 'overlay2');
    assert.equal(ok('image', 'inspect', '-f', '{{.Os}}/{{.Architecture}}', 'dk-imp:2').trim(), 'linux/amd64');

    assert.equal(ok('rmi', 'dk-imp:2'), 'Untagged: dk-imp:2\n');
    const missing = docker('rmi', 'dk-imp:9');
    assert.equal(missing.status, 1);
    assert.equal(missing.stderr, 'Error response from daemon: No such image: dk-imp:9\n');
    const gone = docker('image', 'inspect', 'nope:1');
    assert.equal(gone.status, 1);
    // dockerd 20.10 doubles the words (`no such image: nope:1: No such image: nope:1`); later ones do not.
    assert.equal(gone.stderr, 'Error response from daemon: No such image: nope:1\n');
    assert.equal(gone.stdout, '[]\n');
    assert.match(ok('rmi', 'dk-imp:1'), new RegExp(`^Untagged: dk-imp:1\nDeleted: ${id}\n`));
  });

  test('history: dockerd rows, --no-trunc, -q, --format json, -H=false', () => {
    const id = ok('import', '-m', 'from the test', rootfs(), 'dk-hist:1').trim();
    const table = ok('history', 'dk-hist:1').split('\n');
    assert.match(table[0], /^IMAGE\s+CREATED\s+CREATED BY\s+SIZE\s+COMMENT$/);
    assert.match(
      table[1],
      new RegExp(
        `^${id.slice(7, 19)}\\s+(Less than a second|\\d+ seconds?) ago\\s+1\\.98MB\\s+from the test$`,
      ),
    );
    assert.equal(table.length, 3);
    assert.equal(ok('history', '-q', 'dk-hist:1'), `${id.slice(7, 19)}\n`);
    assert.match(ok('history', '--no-trunc', 'dk-hist:1').split('\n')[1], new RegExp(`^${id}\\s`));
    const [row] = jsonLines(ok('history', '--format', '{{json .}}', 'dk-hist:1'));
    assert.deepEqual(Object.keys(row).sort(), [
      'Comment',
      'CreatedAt',
      'CreatedBy',
      'CreatedSince',
      'ID',
      'Size',
    ]);
    assert.equal(row.Comment, 'from the test');
    assert.equal(row.CreatedBy, '');
    assert.match(
      ok('history', '-H=false', 'dk-hist:1').split('\n')[1],
      /\s\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\s+\d+\s+from the test$/,
    );
    const missing = docker('history', 'nope:1');
    assert.equal(missing.status, 1);
    assert.equal(missing.stderr, 'Error response from daemon: No such image: nope:1\n');
    ok('rmi', 'dk-hist:1');
  });

  test('save, load, import from stdin', () => {
    ok('tag', 'busybox', 'dk-save:1');
    const tar = path.join(engine.dir, 'saved.tar');
    ok('save', '-o', tar, 'dk-save:1');
    assert.ok(fs.statSync(tar).size > 1_000_000);
    ok('rmi', 'dk-save:1');
    assert.equal(ok('load', '-i', tar), 'Loaded image: dk-save:1\n');
    assert.equal(ok('images', '-q', 'dk-save:1').trim().length, 12);
    const piped = dockerWith({ input: fs.readFileSync(rootfs()) }, 'import', '-', 'dk-stdin:1');
    assert.equal(piped.status, 0, piped.stderr);
    ok('rmi', 'dk-save:1', 'dk-stdin:1');
  });

  test('image prune: dangling only, -a, --filter until and label', () => {
    ok('import', rootfs()); // dangling: no name
    ok('import', '-c', 'LABEL keep=yes', rootfs(), 'dk-keep:1');
    ok('import', rootfs(), 'dk-old:1');
    assert.equal(ok('images', '-q', '--filter', 'dangling=true').trim().split('\n').length, 1);
    const dangling = ok('image', 'prune', '-f');
    assert.match(dangling, /^Deleted Images:\ndeleted: sha256:[0-9a-f]{64}\n\nTotal reclaimed space: /);
    // Nothing is older than an hour: `until` keeps everything.
    assert.equal(ok('image', 'prune', '-a', '-f', '--filter', 'until=1h'), 'Total reclaimed space: 0B\n');
    const labelled = ok('image', 'prune', '-a', '-f', '--filter', 'label=keep=yes');
    assert.match(labelled, /untagged: dk-keep:1\n/);
    assert.doesNotMatch(labelled, /dk-old/);
    const bad = docker('image', 'prune', '-f', '--filter', 'bogus=1');
    assert.equal(bad.status, 1);
    assert.equal(bad.stderr, "Error response from daemon: invalid filter 'bogus'\n");
    ok('rmi', 'dk-old:1');
  });

  describe('against a registry with htpasswd auth', { skip: registryMissing() }, () => {
    let reg: TestRegistry;
    before(async () => {
      reg = await startRegistry({ auth: 'htpasswd', users: { alice: 's3cret' } });
    });
    after(async () => {
      await reg?.stop();
    });

    test('push and pull need a login: dockerd words, exit 1, no login prompt; login, push, pull, logout', () => {
      const ref = `${reg.host}/dk/box:1`;
      ok('tag', 'busybox', ref);
      const push = docker('push', ref);
      assert.equal(push.status, 1);
      assert.match(push.stdout, /Preparing/);
      assert.equal(push.stderr, 'no basic auth credentials\n');
      const pull = dockerWith({ input: 'alice\n' }, 'pull', `${reg.host}/dk/box:1`);
      assert.equal(pull.status, 1);
      assert.equal(
        pull.stderr,
        `Error response from daemon: Head "http://${reg.host}/v2/dk/box/manifests/1": no basic auth credentials\n`,
      );
      assert.doesNotMatch(pull.stdout + pull.stderr, /Username|Login prior/);

      const bad = dockerWith({ input: 'wrong\n' }, 'login', '-u', 'alice', '--password-stdin', reg.host);
      assert.equal(bad.status, 1);
      assert.equal(
        bad.stderr,
        `Error response from daemon: login attempt to http://${reg.host}/v2/ failed with status: 401 Unauthorized\n`,
      );
      const login = dockerWith({ input: 's3cret\n' }, 'login', '-u', 'alice', '--password-stdin', reg.host);
      assert.equal(login.status, 0, login.stderr);
      assert.match(login.stdout, /Login Succeeded\n$/);
      const config = JSON.parse(
        fs.readFileSync(path.join(engine.dir, 'docker-config', 'config.json'), 'utf8'),
      );
      assert.equal(config.auths[reg.host].auth, Buffer.from('alice:s3cret').toString('base64'));

      const pushed = ok('push', ref);
      const digest = /^1: digest: (sha256:[0-9a-f]{64}) size: \d+$/m.exec(pushed)?.[1];
      assert.ok(digest, pushed);
      ok('rmi', ref);
      const pulled = ok('pull', ref);
      assert.match(
        pulled,
        new RegExp(`Digest: ${digest}\nStatus: Downloaded newer image for ${ref}\n${ref}\n$`),
      );
      assert.equal(
        ok('image', 'inspect', '-f', '{{json .RepoDigests}}', ref).trim(),
        JSON.stringify([`${reg.host}/dk/box@${digest}`]),
      );
      assert.equal(ok('images', '--digests', '--format', '{{.Digest}}', `${reg.host}/dk/box`).trim(), digest);
      const unknown = docker('pull', `${reg.host}/dk/nope:1`);
      assert.equal(unknown.status, 1);
      assert.equal(
        unknown.stderr,
        `Error response from daemon: manifest for ${reg.host}/dk/nope:1 not found: manifest unknown: manifest unknown\n`,
      );
      // The last tag of the repository takes its digest reference along, as dockerd's rmi does.
      assert.equal(ok('rmi', ref), `Untagged: ${ref}\nUntagged: ${reg.host}/dk/box@${digest}\n`);

      assert.equal(ok('logout', reg.host), `Removing login credentials for ${reg.host}\n`);
      const anonymous = docker('pull', ref);
      assert.equal(anonymous.status, 1);
      assert.match(anonymous.stderr, /no basic auth credentials\n$/);
    });
  });
});
