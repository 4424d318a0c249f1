/**
 * The registry commands end to end: the real CLI and its auto-started daemon against Debian's
 * docker-registry with htpasswd auth on 127.0.0.1: login (config.json, and a credential helper),
 * push, rm, pull back with the same digests, logout. The daemon is stopped at the end.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { busyboxLayers, busyboxMissing } from '../helpers/busybox-image';
import { runCli, type CliResult } from '../helpers/cli';
import { registryMissing, startRegistry, type TestRegistry } from '../helpers/registry';

const skip = busyboxMissing() || registryMissing();

/** A credential helper speaking docker's protocol, keeping one file per server in `$HELPER_DIR`. */
const HELPER = `#!/bin/sh
set -e
mkdir -p "$HELPER_DIR"
input=$(cat)
case "$1" in
  store) server=$(printf '%s' "$input" | sed -n 's/.*"ServerURL":"\\([^"]*\\)".*/\\1/p') ;;
  *) server=$input ;;
esac
file="$HELPER_DIR/$(printf '%s' "$server" | tr -c 'a-zA-Z0-9' '_')"
case "$1" in
  store) printf '%s' "$input" > "$file" ;;
  get) if [ -f "$file" ]; then cat "$file"; else echo "credentials not found in native keychain"; exit 1; fi ;;
  erase) rm -f "$file" ;;
esac
`;

describe('registry commands through the auto-started daemon', { skip }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-e2e-registry-'));
  const helperBin = path.join(dir, 'bin');
  const env = {
    ...process.env,
    TSCOMPOSE_ROOT: path.join(dir, 'root'),
    TSCOMPOSE_RUNROOT: path.join(dir, 'run'),
    DOCKER_CONFIG: path.join(dir, 'docker'),
    HELPER_DIR: path.join(dir, 'helper-store'),
    PATH: `${helperBin}:${process.env.PATH}`,
  };
  const cli = (args: string[], input?: string): CliResult => runCli(args, { env, input });
  let reg: TestRegistry;
  let ref: string;
  const inspect = (r: string) =>
    JSON.parse(cli(['image', 'inspect', r]).stdout)[0] as {
      Id: string;
      RepoDigests: string[];
      RootFS: { Layers: string[] };
    };

  before(async () => {
    reg = await startRegistry({ auth: 'htpasswd', users: { alice: 's3cret' } });
    ref = `${reg.host}/e2e/box:v1`;
    const r = cli(['image', 'import', busyboxLayers().layers[0], ref]);
    assert.equal(r.status, 0, r.stderr);
    fs.mkdirSync(helperBin);
    fs.writeFileSync(path.join(helperBin, 'docker-credential-tsctest'), HELPER, { mode: 0o755 });
  });
  after(async () => {
    cli(['engine', 'stop']);
    await reg?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('login, push, rm, pull keeps the digests; logout; errors are one line', () => {
    const denied = cli(['image', 'push', ref]);
    assert.equal(denied.status, 1);
    // dockerd's words for a Basic registry asked without credentials.
    assert.equal(denied.stderr, 'no basic auth credentials\n');

    const bad = cli(['login', '-u', 'alice', '--password-stdin', reg.host], 'wrong\n');
    assert.equal(bad.status, 1);
    assert.equal(
      bad.stderr,
      `Error response from daemon: login attempt to http://${reg.host}/v2/ failed with status: 401 Unauthorized\n`,
    );
    assert.equal(fs.existsSync(path.join(env.DOCKER_CONFIG, 'config.json')), false);

    const login = cli(['login', '-u', 'alice', '--password-stdin', reg.host], 's3cret\n');
    assert.equal(login.status, 0, login.stderr);
    assert.equal(login.stdout, 'Login Succeeded\n');
    const config = JSON.parse(fs.readFileSync(path.join(env.DOCKER_CONFIG, 'config.json'), 'utf8'));
    assert.deepEqual(config.auths, { [reg.host]: { auth: Buffer.from('alice:s3cret').toString('base64') } });
    assert.equal(fs.statSync(path.join(env.DOCKER_CONFIG, 'config.json')).mode & 0o777, 0o600);

    const before = inspect(ref);
    const push = cli(['image', 'push', ref]);
    assert.equal(push.status, 0, push.stderr);
    const lines = push.stdout.trim().split('\n');
    assert.equal(lines[0], `The push refers to repository [${reg.host}/e2e/box]`);
    assert.ok(lines.includes(`${before.RootFS.Layers[0].slice(7, 19)}: Pushed`), push.stdout);
    const digest = /^v1: digest: (sha256:[0-9a-f]{64}) size: \d+$/.exec(lines.at(-1) ?? '')?.[1];
    assert.ok(digest, push.stdout);

    assert.equal(cli(['image', 'rm', ref]).status, 0);
    const pull = cli(['image', 'pull', ref]);
    assert.equal(pull.status, 0, pull.stderr);
    const out = pull.stdout.trim().split('\n');
    assert.equal(out[0], 'v1: Pulling from e2e/box');
    assert.ok(out.includes(`${before.RootFS.Layers[0].slice(7, 19)}: Pull complete`), pull.stdout);
    assert.deepEqual(out.slice(-3), [`Digest: ${digest}`, `Status: Downloaded newer image for ${ref}`, ref]);
    assert.ok(!pull.stdout.includes('Downloading'), 'no byte counts when stdout is not a terminal');
    const after = inspect(ref);
    assert.equal(after.Id, before.Id);
    // known by its digest in the registry it came from, as docker records it
    assert.deepEqual(after.RepoDigests, [`${reg.host}/e2e/box@${digest}`]);
    assert.deepEqual(after.RootFS.Layers, before.RootFS.Layers);

    const quiet = cli(['image', 'pull', '-q', ref]);
    assert.equal(quiet.stdout, `${ref}\n`);

    // `container run` of an image that is not here pulls it first, as docker's does
    assert.equal(cli(['image', 'rm', ref]).status, 0);
    const run = cli(['container', 'run', '--rm', ref, 'echo', 'pulled and ran']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, 'pulled and ran\n');
    assert.match(run.stderr, /^Unable to find image '.*e2e\/box:v1' locally\n/);
    assert.match(run.stderr, /Status: Downloaded newer image for /);
    assert.equal(inspect(ref).Id, before.Id);

    const logout = cli(['logout', reg.host]);
    assert.equal(logout.stdout, `Removing login credentials for ${reg.host}\n`);
    assert.equal(cli(['logout', reg.host]).stdout, `Not logged in to ${reg.host}\n`);
    assert.equal(cli(['image', 'rm', ref]).status, 0);
    const anonymous = cli(['image', 'pull', ref]);
    assert.equal(anonymous.status, 1);
    assert.equal(
      anonymous.stderr,
      `Error response from daemon: Head "http://${reg.host}/v2/e2e/box/manifests/v1": no basic auth credentials\n`,
    );
    const missing = cli(['image', 'pull', '--platform', 'linux', ref]);
    assert.match(
      missing.stderr,
      /^Error response from daemon: invalid platform "linux": expected os\/arch\[\/variant\]\n$/,
    );
  });

  test('a credsStore helper keeps the credentials: login stores, pull uses them, logout erases', () => {
    fs.mkdirSync(env.DOCKER_CONFIG, { recursive: true });
    fs.writeFileSync(
      path.join(env.DOCKER_CONFIG, 'config.json'),
      JSON.stringify({ credsStore: 'tsctest', other: 1 }),
    );
    const login = cli(['login', '-u', 'alice', '-p', 's3cret', reg.host]);
    assert.equal(login.status, 0, login.stderr);
    assert.equal(login.stdout, 'Login Succeeded\n');
    assert.doesNotMatch(login.stderr, /unencrypted/);
    assert.match(login.stderr, /Using --password via the CLI is insecure/);
    const stored = JSON.parse(
      fs.readFileSync(path.join(env.HELPER_DIR, reg.host.replace(/[^a-zA-Z0-9]/g, '_')), 'utf8'),
    );
    assert.deepEqual(stored, { ServerURL: reg.host, Username: 'alice', Secret: 's3cret' });
    const config = JSON.parse(fs.readFileSync(path.join(env.DOCKER_CONFIG, 'config.json'), 'utf8'));
    assert.deepEqual(config, { credsStore: 'tsctest', other: 1, auths: { [reg.host]: {} } });

    const other = `${reg.host}/e2e/helper:1`;
    assert.equal(cli(['image', 'import', busyboxLayers().layers[2], other]).status, 0);
    assert.equal(cli(['image', 'push', '-q', other]).status, 0);
    assert.equal(cli(['image', 'rm', other]).status, 0);
    const pull = cli(['image', 'pull', '-q', other]);
    assert.equal(pull.status, 0, pull.stderr);

    assert.equal(cli(['logout', reg.host]).stdout, `Removing login credentials for ${reg.host}\n`);
    assert.deepEqual(fs.readdirSync(env.HELPER_DIR), []);
  });
});
