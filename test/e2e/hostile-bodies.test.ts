/**
 * The real daemon's API socket, spoken to in raw HTTP as the docker CLI and hostile clients
 * speak it: the docker 28 CLI's create body (full of nulls) runs; wrong types, impossible
 * resources and values that would inject lines into /etc files or write outside /proc/sys are
 * 400s in docker's words; and the daemon serves on under the same pid throughout.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { useCliEngine } from '../helpers/cli-engine';
import { REPO_ROOT } from '../helpers/cli';

interface Reply {
  status: number;
  json: Record<string, unknown>;
}

/** The docker 28.2.2 CLI's `docker create busybox true` body, as it sent it. */
const DOCKER_CLI_CREATE = path.join(REPO_ROOT, 'test', 'fixtures', 'docker-cli', 'create-busybox-true.json');

describe('hostile request bodies at the real daemon', () => {
  const e = useCliEngine('tscompose-bodies-');
  const socket = path.join(e.runRoot, 'engine.sock');
  let daemonPid = 0;

  function request(method: string, p: string, body?: unknown): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = http.request({ socketPath: socket, method, path: p, agent: false }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => {
          const text = Buffer.concat(parts).toString();
          const json: unknown =
            res.headers['content-type'] === 'application/json' && text ? JSON.parse(text) : {};
          resolve({ status: res.statusCode ?? 0, json: json as Record<string, unknown> });
        });
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
    });
  }

  /** The daemon that answered the first request still answers, and is the same process. */
  async function assertDaemonAlive(): Promise<void> {
    assert.equal((await request('GET', '/_ping')).status, 200);
    const info = JSON.parse(fs.readFileSync(path.join(e.runRoot, 'engine.json'), 'utf8')) as { pid: number };
    assert.equal(info.pid, daemonPid, 'the daemon was not restarted');
    process.kill(daemonPid, 0);
  }

  /** Every body is refused with its message, and no container is left behind. */
  async function refused(cases: [object, string | RegExp][]): Promise<void> {
    for (const [body, message] of cases) {
      const r = await request('POST', '/v1.41/containers/create', {
        Image: 'busybox',
        Cmd: ['true'],
        ...body,
      });
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${JSON.stringify(r.json)}`);
      if (typeof message === 'string') assert.equal(r.json.message, message, JSON.stringify(body));
      else assert.match(String(r.json.message), message, JSON.stringify(body));
    }
    assert.deepEqual(e.ids(), []);
    await assertDaemonAlive();
  }

  before(() => {
    daemonPid = (JSON.parse(fs.readFileSync(path.join(e.runRoot, 'engine.json'), 'utf8')) as { pid: number })
      .pid;
    assert.ok(daemonPid > 0);
  });

  it("the docker CLI's create body, nulls and all, creates a container that runs", async () => {
    const body = fs.readFileSync(DOCKER_CLI_CREATE, 'utf8');
    assert.match(body, /"CapAdd": null/);
    const created = await request('POST', '/v1.41/containers/create?name=from-docker', body);
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const id = String(created.json.Id);
    try {
      assert.equal((await request('POST', `/v1.41/containers/${id}/start`)).status, 204);
      const waited = await request('POST', `/v1.41/containers/${id}/wait`);
      assert.deepEqual(waited, { status: 200, json: { StatusCode: 0 } });
    } finally {
      assert.equal((await request('DELETE', `/v1.41/containers/${id}?force=1`)).status, 204);
    }
    await assertDaemonAlive();
  });

  it('a wrong type in any part of the body is a 400 in Go json words', async () => {
    const go = (v: string, field: string, type: string) =>
      `json: cannot unmarshal ${v} into Go struct field ${field} of type ${type}`;
    await refused([
      [{ Cmd: 5 }, go('number', 'CreateRequest.Cmd', 'strslice.StrSlice')],
      [{ Env: { A: '1' } }, go('object', 'CreateRequest.Env', '[]string')],
      [{ Labels: ['a=b'] }, go('array', 'CreateRequest.Labels', 'map[string]string')],
      [{ Hostname: 7 }, go('number', 'CreateRequest.Hostname', 'string')],
      [{ HostConfig: { Memory: '64m' } }, go('string', 'HostConfig.HostConfig.Memory', 'int64')],
      [
        { HostConfig: { CapAdd: { NET_ADMIN: true } } },
        go('object', 'HostConfig.HostConfig.CapAdd', 'strslice.StrSlice'),
      ],
      [{ HostConfig: { GroupAdd: 'wheel' } }, go('string', 'HostConfig.HostConfig.GroupAdd', '[]string')],
      [
        { HostConfig: { Sysctls: [['kernel.shmmax', '1']] } },
        go('array', 'HostConfig.HostConfig.Sysctls', 'map[string]string'),
      ],
      [
        { HostConfig: { RestartPolicy: 'always' } },
        go('string', 'HostConfig.HostConfig.RestartPolicy', 'container.RestartPolicy'),
      ],
      [{ Healthcheck: { Retries: '3' } }, go('string', 'HealthConfig.Healthcheck.Retries', 'int')],
      [{ Healthcheck: { Test: 'true' } }, go('string', 'HealthConfig.Healthcheck.Test', '[]string')],
      [
        { NetworkingConfig: { EndpointsConfig: { default: { IPAMConfig: [] } } } },
        go(
          'array',
          'EndpointSettings.NetworkingConfig.EndpointsConfig.IPAMConfig',
          'network.EndpointIPAMConfig',
        ),
      ],
    ]);
  });

  it('impossible resources are 400s in docker words', async () => {
    const cpus = os.cpus().length;
    await refused([
      [
        { HostConfig: { Memory: os.totalmem() * 4 } },
        /^Memory limit \d+ is larger than the host's total memory/,
      ],
      [{ HostConfig: { Memory: 64 << 20, MemorySwap: -2 } }, /^invalid memory swap limit -2/],
      [
        { HostConfig: { Memory: 64 << 20, MemorySwap: 32 << 20 } },
        'Minimum memoryswap limit should be larger than memory limit, see usage',
      ],
      [
        { HostConfig: { CpusetCpus: '0-99' } },
        /^Requested CPUs are not available - requested 0-99, available: 0/,
      ],
      [{ HostConfig: { ShmSize: 1e18 } }, /^SHM size 1000000000000000000 is larger than the host's memory/],
      [{ HostConfig: { ShmSize: -1 } }, 'SHM size can not be less than 0'],
      [
        { HostConfig: { NanoCpus: (cpus + 97) * 1e9 } },
        `Range of CPUs is from 0.01 to ${cpus}.00, as there are only ${cpus} CPUs available`,
      ],
    ]);
  });

  it('a negative PidsLimit means no limit, as with docker', async () => {
    const created = await request('POST', '/v1.41/containers/create', {
      Image: 'busybox',
      Cmd: ['true'],
      HostConfig: { PidsLimit: -5 },
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    assert.equal(
      (await request('DELETE', `/v1.41/containers/${String(created.json.Id)}?force=1`)).status,
      204,
    );
  });

  it('a newline, a space or an oversize value bound for /etc files or /proc/sys is a 400', async () => {
    const hc = (HostConfig: object) => ({ HostConfig });
    await refused([
      [{ Hostname: 'a\nb' }, 'invalid hostname format: "a\\nb"'],
      [{ Hostname: 'h'.repeat(65) }, `invalid hostname format: "${'h'.repeat(65)}"`],
      [
        { Domainname: 'example.com\n10.0.0.1 bank' },
        'invalid domainname format: "example.com\\n10.0.0.1 bank"',
      ],
      [{ Domainname: 'd'.repeat(65) }, `invalid domainname format: "${'d'.repeat(65)}"`],
      [
        hc({ ExtraHosts: ['ok\n6.6.6.6 bank.example:1.2.3.4'] }),
        /^invalid hostname in add-host: "ok\\n6\.6\.6\.6/,
      ],
      [hc({ ExtraHosts: [`${'e'.repeat(256)}:1.2.3.4`] }), /^invalid hostname in add-host/],
      [
        hc({ Dns: ['1.1.1.1\nnameserver 6.6.6.6'] }),
        'invalid DNS server address: "1.1.1.1\\nnameserver 6.6.6.6"',
      ],
      [
        hc({ DnsSearch: ['corp.example\nnameserver 6.6.6.6'] }),
        '"corp.example\\nnameserver 6.6.6.6" is not a valid domain',
      ],
      [hc({ DnsSearch: [`${'s'.repeat(300)}.example`] }), /is not a valid domain$/],
      [
        hc({ DnsOptions: ['ndots:1\nnameserver 6.6.6.6'] }),
        'invalid DNS option: "ndots:1\\nnameserver 6.6.6.6"',
      ],
      [hc({ DnsOptions: ['o'.repeat(300)] }), /^invalid DNS option/],
      [hc({ Sysctls: { 'kernel.shmmax\n': '1' } }), 'invalid sysctl key "kernel.shmmax\\n"'],
      [
        hc({ Sysctls: { 'net/../../kernel/core_pattern': '|/x' } }),
        'invalid sysctl key "net/../../kernel/core_pattern"',
      ],
      [hc({ Sysctls: { 'kernel.shmmax': '1\n2' } }), 'invalid value for sysctl "kernel.shmmax": "1\\n2"'],
      [hc({ Sysctls: { 'kernel.shmmax': '9'.repeat(5000) } }), /^invalid value for sysctl "kernel.shmmax"/],
    ]);
  });

  it('label values may hold newlines, as with docker', async () => {
    const Labels = { note: 'line one\nline two', empty: '' };
    const created = await request('POST', '/v1.41/containers/create', {
      Image: 'busybox',
      Cmd: ['true'],
      Labels,
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const id = String(created.json.Id);
    try {
      const inspect = await request('GET', `/v1.41/containers/${id}/json`);
      assert.deepEqual((inspect.json.Config as { Labels: object }).Labels, Labels);
    } finally {
      await request('DELETE', `/v1.41/containers/${id}?force=1`);
    }
  });

  it('a malformed URL escape is a 400, and the daemon serves on', async () => {
    for (const p of ['/containers/%zz/json', '/v1.41/containers/json?all=%zz', '/images/%e0%a4/json']) {
      const r = await request('GET', p);
      assert.equal(r.status, 400, `${p}: ${JSON.stringify(r.json)}`);
      assert.match(String(r.json.message), /^invalid URL escape/);
    }
    await assertDaemonAlive();
  });

  it("the CLI prints the daemon's one-line refusal and exits 125, as docker", () => {
    const table: [string[], string][] = [
      [['--hostname', 'a\nb'], 'invalid hostname format: "a\\nb"'],
      [['--dns-search', 'x\ny'], '"x\\ny" is not a valid domain'],
      [['--sysctl', 'kernel.shmmax=1\n2'], 'invalid value for sysctl "kernel.shmmax": "1\\n2"'],
    ];
    for (const [flags, message] of table) {
      const r = e.cli('container', 'run', '--rm', ...flags, 'busybox', 'true');
      assert.equal(r.stderr, `Error response from daemon: ${message}\n`, flags.join(' '));
      assert.equal(r.status, 125, flags.join(' '));
    }
    assert.deepEqual(e.ids(), []);
  });

  it('volume names that would be paths, bad options and bad filters are refused; nothing is made', async () => {
    const volumes = path.join(e.root, 'volumes');
    const outside = path.dirname(e.root);
    const before = fs.readdirSync(outside).sort();
    for (const [body, status] of [
      [{ Name: '../../escape' }, 400],
      [{ Name: '/etc' }, 400],
      [{ Name: 'a/b' }, 400],
      [{ Name: '..' }, 400],
      [{ Name: 'ok1', Labels: { a: 1 } }, 400],
      [{ Name: 'ok1', DriverOpts: ['x'] }, 400],
      [{ Name: 'ok1', DriverOpts: { type: 'none', o: 'bind', device: '/nonexistent/dir' } }, 400],
      [{ Name: 'ok1', DriverOpts: { bogus: 'x' } }, 400],
      [{ Name: 'ok1', Driver: 'nfs-plugin' }, 404],
      ['{"Name": ', 400],
    ] as [unknown, number][]) {
      const r = await request('POST', '/v1.41/volumes/create', body);
      assert.equal(r.status, status, `${JSON.stringify(body)}: ${JSON.stringify(r.json)}`);
    }
    for (const p of ['/volumes/..%2F..%2Fetc', '/volumes/%2E%2E', '/volumes/.removing-x']) {
      assert.equal((await request('GET', p)).status, 404, p);
      assert.equal((await request('DELETE', p)).status, 404, p);
    }
    assert.equal((await request('POST', '/volumes/prune?filters={"dangling":["true"]}')).status, 400);
    assert.equal((await request('GET', '/volumes?filters={"dangling":["maybe"]}')).status, 400);
    await refused([
      [{ HostConfig: { Binds: ['../../x:/d'] } }, /includes invalid characters for a local volume name/],
      [
        { HostConfig: { Mounts: [{ Type: 'volume', Source: '..', Target: '/d' }] } },
        /includes invalid characters/,
      ],
      [{ HostConfig: { Binds: ['v1:/d:shared'] } }, 'invalid mode: shared'],
      [{ HostConfig: { VolumesFrom: ['x:rx'] } }, 'invalid mode: rx'],
    ]);
    assert.deepEqual(fs.readdirSync(volumes), []);
    assert.deepEqual(fs.readdirSync(outside).sort(), before);
  });
});
