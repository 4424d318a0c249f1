import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RegistryClient } from '../../../src/engine/images/registry/client';
import { pullImage } from '../../../src/engine/images/registry/pull';
import { pushImage } from '../../../src/engine/images/registry/push';
import { TokenCache } from '../../../src/engine/images/registry/tokens';
import { busyboxMissing } from '../../helpers/busybox-image';
import { registryMissing, startRegistry } from '../../helpers/registry';
import { buildImage, storeImage } from '../../helpers/registry-images';
import { rejectsWith, tempStore } from './helpers';

const skip = busyboxMissing() || registryMissing();
const alice = { username: 'alice', password: 's3cret' };

test(
  'htpasswd Basic auth: push and pull with credentials; without them dockerd\'s "no basic auth credentials", with a wrong password its 401 words, never a 401 status',
  { skip },
  async (t) => {
    const reg = await startRegistry({ auth: 'htpasswd', users: { alice: alice.password } });
    t.after(() => reg.stop());
    const src = tempStore(t);
    const built = buildImage();
    const ref = `${reg.host}/private/box:1`;
    await storeImage(src, built, ref);
    await assert.rejects(pushImage(src, ref), (err: Error & { status?: number }) => {
      assert.equal(err.message, 'no basic auth credentials');
      assert.equal(err.status, 500);
      return true;
    });
    await pushImage(src, ref, { auth: alice });
    const dst = tempStore(t);
    // A 401 status would send the docker CLI into its login prompt: dockerd answers 500.
    await assert.rejects(pullImage(dst, ref), (err: Error & { status?: number }) => {
      assert.equal(
        err.message,
        `Head "http://${reg.host}/v2/private/box/manifests/1": no basic auth credentials`,
      );
      assert.equal(err.status, 500);
      return true;
    });
    await rejectsWith(
      pullImage(dst, ref, { auth: { ...alice, password: 'wrong' } }),
      /unauthorized: authentication required$/,
    );
    const { image } = await pullImage(dst, ref, { auth: alice });
    assert.equal(image.manifestDigest, built.manifest.digest);

    await new RegistryClient(reg.host, { auth: alice, scopes: [] }).login();
    await rejectsWith(
      new RegistryClient(reg.host, { auth: { ...alice, password: 'x' }, scopes: [] }).login(),
      new RegExp(`^login attempt to http://${reg.host}/v2/ failed with status: 401 Unauthorized$`),
    );
  },
);

test(
  'Bearer token auth: tokens asked with the operation scopes, cached per scope, anonymous refused clearly',
  { skip },
  async (t) => {
    const reg = await startRegistry({ auth: 'token', users: { alice: alice.password } });
    t.after(() => reg.stop());
    const tokens = new TokenCache();
    const src = tempStore(t);
    const built = buildImage();
    const ref = `${reg.host}/tok/box:1`;
    await storeImage(src, built, ref);
    await pushImage(src, ref, { auth: alice, tokens });
    const seen = reg.tokens?.requests ?? [];
    assert.deepEqual(seen.at(-1), {
      account: 'alice',
      scopes: ['repository:tok/box:pull,push'],
      authenticated: true,
    });
    const asked = seen.length;

    const dst = tempStore(t);
    const { image } = await pullImage(dst, ref, { auth: alice, tokens });
    assert.equal(image.manifestDigest, built.manifest.digest);
    assert.deepEqual(seen.at(-1)?.scopes, ['repository:tok/box:pull']);
    await pullImage(tempStore(t), ref, { auth: alice, tokens });
    assert.equal(seen.length, asked + 1, 'the second pull reuses the cached pull token');

    // The registry's UNAUTHORIZED passes as dockerd passes it (translatePullError), not as a 401.
    await assert.rejects(pullImage(tempStore(t), ref, { tokens }), (err: Error & { status?: number }) => {
      assert.match(err.message, /^unauthorized: /);
      assert.equal(err.status, 500);
      return true;
    });
    await rejectsWith(
      pullImage(tempStore(t), ref, { auth: { ...alice, password: 'nope' }, tokens }),
      /unauthorized: incorrect username or password \(token server 127\.0\.0\.1:\d+\)$/,
    );
    const login = new RegistryClient(reg.host, { auth: alice, scopes: [] });
    await login.login();
    assert.ok(login.lastToken?.token);
  },
);
