/**
 * Isolation as seen from inside real containers (busybox from Debian's busybox-static), started
 * by an in-process engine as root. Each test ends with the leak sweep.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { ImageStore } from '../../../src/engine/images/store';
import { describe, test } from 'node:test';
import { cgroupDriver, cgroupParentFor } from '../../../src/engine/runtime/cgroups';
import { useTestEngine } from '../../helpers/engine-suite';

const sh = (script: string): string[] => ['sh', '-c', script];
/** Host programs for the syscall probes: Debian's essential perl with its libraries, read-only. */
const PERL_BINDS = [
  '/usr/bin/perl:/usr/bin/perl:ro',
  '/usr/lib:/usr/lib:ro',
  '/usr/lib:/lib:ro',
  '/usr/lib64:/lib64:ro',
];
const perl = (code: string): string[] => ['/usr/bin/perl', '-e', code];

describe('container isolation', () => {
  const suite = useTestEngine();

  test('the command is PID 1 and sees no host process', async () => {
    const r = await suite.t.run({
      Cmd: sh(
        'echo $$; ps -o comm | tail -n +2 | sort -u | tr "\\n" " "; echo; cat /proc/1/cmdline | tr "\\0" " "',
      ),
    });
    assert.equal(r.exitCode, 0, r.stderr);
    const [pid, seen, cmdline] = r.stdout.trim().split('\n');
    assert.equal(pid, '1');
    const strangers = seen
      .trim()
      .split(' ')
      // `exe`: Debian's static busybox runs a pipeline's applets by execve(/proc/self/exe), so
      // ps can catch one of the pipeline's own children under that name before it becomes `tr`.
      .filter((c) => !['sh', 'ps', 'tail', 'sort', 'tr', 'exe'].includes(c));
    assert.deepEqual(strangers, [], `sees ${seen}`);
    assert.match(cmdline, /^sh -c/);
  });

  test('hostname and /etc files', async () => {
    const r = await suite.t.run({
      Hostname: 'box1',
      Cmd: sh('hostname; cat /etc/hostname; grep -c localhost /etc/hosts'),
    });
    assert.deepEqual(r.stdout.trim().split('\n'), ['box1', 'box1', '2']);
  });

  test("Docker's capabilities, seccomp filter and no_new_privs", async () => {
    const r = await suite.t.run({
      Cmd: sh('grep -E "^(CapEff|CapBnd|Seccomp|NoNewPrivs):" /proc/self/status'),
    });
    assert.match(r.stdout, /CapEff:\s+00000000a80425fb/);
    assert.match(r.stdout, /CapBnd:\s+00000000a80425fb/);
    assert.match(r.stdout, /Seccomp:\s+2/);
    assert.match(r.stdout, /NoNewPrivs:\s+0/);
    const nnp = await suite.t.run({
      HostConfig: { SecurityOpt: ['no-new-privileges'] },
      Cmd: sh('grep NoNewPrivs /proc/self/status'),
    });
    assert.match(nnp.stdout, /NoNewPrivs:\s+1/);
    const added = await suite.t.run({
      HostConfig: { CapAdd: ['NET_ADMIN'], CapDrop: ['CHOWN'] },
      Cmd: sh('grep CapEff /proc/self/status'),
    });
    assert.match(added.stdout, /CapEff:\s+00000000a80435fa/);
  });

  test('a non-root user keeps only the bounding set', async () => {
    const r = await suite.t.run({
      User: 'app',
      Cmd: sh('id -u; id -g; id -G; grep -E "^Cap(Eff|Bnd)" /proc/self/status'),
    });
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(lines.slice(0, 3), ['1000', '1000', '1000 50']);
    assert.match(lines[3], /CapEff:\s+0{16}/);
    assert.match(lines[4], /CapBnd:\s+00000000a80425fb/);
  });

  test('denied syscalls fail with EPERM while ordinary ones work', async () => {
    const probe = [
      // keyctl(KEYCTL_GET_KEYRING_ID), clone(CLONE_NEWNS|SIGCHLD), unshare(CLONE_NEWNET), getpid
      '$! = 0; my $k = syscall(250, 0, -1, 0); print "keyctl $k ", $!+0, "\\n";',
      '$! = 0; my $c = syscall(56, 0x20011, 0, 0, 0, 0); print "clone $c ", $!+0, "\\n"; exit 0 if $c == 0;',
      '$! = 0; my $u = syscall(272, 0x40000000); print "unshare $u ", $!+0, "\\n";',
      'print "getpid ", syscall(39), "\\n";',
    ].join(' ');
    const r = await suite.t.run({ HostConfig: { Binds: PERL_BINDS }, Cmd: perl(probe) });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /^keyctl -1 1$/m);
    assert.match(r.stdout, /^clone -1 1$/m);
    assert.match(r.stdout, /^unshare -1 1$/m);
    assert.match(r.stdout, /^getpid 1$/m);
    const m = await suite.t.run({ Cmd: sh('mkdir -p /mnt/x; mount -t tmpfs none /mnt/x; echo rc=$?') });
    assert.match(m.stdout, /rc=[1-9]/);
    const unconfined = await suite.t.run({
      HostConfig: { Binds: PERL_BINDS, SecurityOpt: ['seccomp=unconfined'] },
      Cmd: perl(
        '$! = 0; my $k = syscall(250, 0, -1, 0); print "keyctl ", ($k == -1 && $!+0 == 1) ? "denied" : "allowed", "\\n";',
      ),
    });
    assert.match(unconfined.stdout, /keyctl allowed/);
  });

  test('ordinary programs still work: sh, ps, httpd and wget on the loopback', async () => {
    const r = await suite.t.run({
      Cmd: sh(
        'mkdir -p /www && echo hello-from-httpd > /www/index.html && httpd -p 127.0.0.1:8080 -h /www && ' +
          'sleep 0.2 && wget -qO- http://127.0.0.1:8080/ && pidof httpd >/dev/null && echo running',
      ),
    });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['hello-from-httpd', 'running']);
  });

  test('/proc/sys is read-only and masked paths are empty', async () => {
    const r = await suite.t.run({
      Cmd: sh(
        'echo 1 > /proc/sys/kernel/ns_last_pid 2>/dev/null; echo sys=$?; ' +
          'wc -c < /proc/timer_list; wc -c < /proc/keys; ls /sys/firmware | wc -l; touch /sys/x 2>/dev/null; echo sysfs=$?',
      ),
    });
    assert.deepEqual(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => l.trim()),
      ['sys=1', '0', '0', '0', 'sysfs=1'],
    );
  });

  test('a read-only root refuses writes; tmpfs and binds still work', async () => {
    const host = fs.mkdtempSync(`${suite.t.root}/bind-`);
    fs.writeFileSync(`${host}/in.txt`, 'from the host\n');
    const r = await suite.t.run({
      HostConfig: {
        ReadonlyRootfs: true,
        Tmpfs: { '/scratch': 'size=1m' },
        Binds: [`${host}:/data`, `${host}:/ro:ro`],
      },
      Cmd: sh(
        'touch /x 2>/dev/null; echo root=$?; touch /scratch/y; echo tmpfs=$?; cat /data/in.txt; ' +
          'echo out > /data/out.txt; echo bind=$?; touch /ro/z 2>/dev/null; echo ro=$?',
      ),
    });
    assert.deepEqual(r.stdout.trim().split('\n'), ['root=1', 'tmpfs=0', 'from the host', 'bind=0', 'ro=1']);
    assert.equal(fs.readFileSync(`${host}/out.txt`, 'utf8'), 'out\n');
    fs.rmSync(host, { recursive: true });
  });

  test('the image layers are seen merged: whiteouts hide, devices and links survive', async () => {
    const r = await suite.t.run({
      Cmd: sh(
        'ls /opt/data | sort | tr "\\n" " "; echo; ls -l /opt/dev/null-copy | cut -c1; stat -c %a /opt/suid',
      ),
    });
    const [files, dev, suid] = r.stdout.trim().split('\n');
    assert.ok(!files.includes('gone.txt'), files);
    assert.ok(files.includes('keep.txt') && files.includes('new.txt'), files);
    assert.equal(dev, 'c');
    assert.equal(suid, '4755');
  });

  test('the memory limit kills with 137 and OOMKilled', async () => {
    const r = await suite.t.run({
      HostConfig: { Memory: 16 << 20, MemorySwap: 16 << 20 },
      Cmd: ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=64M', 'count=1'],
    });
    assert.equal(r.exitCode, 137);
    assert.equal(r.oomKilled, true);
  });

  test('pids_limit stops a fork bomb', async () => {
    const r = await suite.t.run({
      HostConfig: { PidsLimit: 16 },
      // The bomb runs in a child shell (ash gives up at the first failed fork); the count uses
      // builtins only, as no fork is possible while the sleeps hold every pid.
      Cmd: sh(
        'sh -c "for i in \\$(seq 40); do sleep 3 & done" 2>/dev/null; n=0; ' +
          'for p in /proc/[0-9]*; do read c < $p/comm; [ "$c" = sleep ] && n=$((n+1)); done; echo $n',
      ),
    });
    const running = Number(r.stdout.trim().split('\n').pop());
    assert.ok(running > 0 && running < 16, `${running} sleeps ran`);
  });

  test('the cpu quota holds (generous bounds)', async () => {
    const { Id } = await suite.t.engine.createContainer({
      Image: 'busybox',
      HostConfig: { NanoCpus: 0.5e9 },
      Cmd: sh('while :; do :; done'),
    });
    await suite.t.engine.startContainer(Id);
    const cg = cgroupDriver().open(cgroupParentFor(suite.t.root), Id);
    const before = cg.stats().cpuUsageNs;
    const t0 = process.hrtime.bigint();
    await new Promise((r) => setTimeout(r, 3000));
    const used = cg.stats().cpuUsageNs - before;
    const wall = Number(process.hrtime.bigint() - t0);
    await suite.t.engine.removeContainer(Id, { force: true });
    const share = used / wall;
    assert.ok(share > 0.2 && share < 0.75, `used ${share.toFixed(2)} of a cpu`);
  });

  test('init: true puts tini in front as PID 1; ulimits, sysctls and shm_size apply', async () => {
    const r = await suite.t.run({
      HostConfig: {
        Init: true,
        Ulimits: [{ Name: 'nofile', Soft: 100, Hard: 200 }],
        Sysctls: { 'net.ipv4.ip_forward': '1', 'kernel.shmmni': '1000' },
        ShmSize: 8 << 20,
      },
      Cmd: sh(
        'cat /proc/1/comm; echo $$; ulimit -n; ulimit -Hn; cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmni; df -k /dev/shm | tail -1',
      ),
    });
    assert.equal(r.exitCode, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[0], 'docker-init');
    assert.notEqual(lines[1], '1');
    assert.deepEqual(lines.slice(2, 6), ['100', '200', '1', '1000']);
    assert.match(lines[6], /\s8192\s/);
  });

  test('network none has only a working loopback; host mode shares the host network', async () => {
    const none = await suite.t.run({
      HostConfig: { NetworkMode: 'none' },
      Cmd: sh('ls /sys/class/net | tr "\\n" " "; echo; ping -c1 -W1 127.0.0.1 >/dev/null; echo ping=$?'),
    });
    assert.deepEqual(
      none.stdout
        .trim()
        .split('\n')
        .map((l) => l.trim()),
      ['lo', 'ping=0'],
    );
    const host = await suite.t.run({
      HostConfig: { NetworkMode: 'host' },
      Cmd: sh('readlink /proc/self/ns/net'),
    });
    assert.equal(host.stdout.trim(), fs.readlinkSync('/proc/self/ns/net'));
  });

  test('privileged: every capability, no seccomp, nothing masked', async () => {
    const r = await suite.t.run({
      HostConfig: { Privileged: true },
      Cmd: sh(
        'grep -E "^(CapEff|Seccomp):" /proc/self/status; ls /sys/firmware >/dev/null; wc -c < /proc/timer_list',
      ),
    });
    // every capability the engine has (a sandbox may withhold some from the host's root)
    const all = fs.readFileSync('/proc/self/status', 'utf8').match(/^CapPrm:\s+([0-9a-f]+)$/m)?.[1];
    assert.match(r.stdout, new RegExp(`CapEff:\\s+${all}`));
    assert.match(r.stdout, /Seccomp:\s+0/);
    assert.notEqual(r.stdout.trim().split('\n').pop(), '0');
  });

  test('an image of 120 layers still mounts (short links keep lowerdir= within a page)', async () => {
    const base = new ImageStore(path.join(suite.t.root, 'images')).resolve('busybox');
    const extra: Buffer[] = [];
    for (let i = 0; i < 117; i++) extra.push(await tarOf({ [`layer/${i}`]: `${i}\n` }));
    const store = new ImageStore(path.join(suite.t.root, 'images'));
    const layers = [...base.config.rootfs.diff_ids].map((d) => fs.createReadStream(store.blobs.path(d)));
    await store.importLayers([...layers, ...extra.map((b) => Readable.from([b]))], {
      tag: 'many:layers',
      config: { Cmd: ['sh'] },
    });
    const r = await suite.t.run({ Image: 'many:layers', Cmd: sh('ls /layer | wc -l; cat /layer/116') });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.deepEqual(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => l.trim()),
      ['117', '116'],
    );
    await store.untag(['docker.io/library/many:layers']);
  });
});

/** A tar of small regular files. */
async function tarOf(files: Record<string, string>): Promise<Buffer> {
  const pack = tar.pack();
  const out: Buffer[] = [];
  pack.on('data', (d: unknown) => out.push(d as Buffer));
  const ended = new Promise<void>((r) => pack.on('end', () => r()));
  for (const [name, text] of Object.entries(files)) pack.entry({ name, mode: 0o644 }, text);
  pack.finalize();
  await ended;
  return Buffer.concat(out);
}
