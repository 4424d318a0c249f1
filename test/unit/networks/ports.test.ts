/** Docker's -p grammar to PortBindings and back to inspect's Ports and `docker port` lines. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  PortError,
  exposedKey,
  inspectPorts,
  parsePortSpec,
  parsePublish,
  portLines,
  publishAll,
} from '../../../src/engine/networks/ports';

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof PortError, String(err));
    return err.message;
  }
  assert.fail('accepted');
}

describe('parsePortSpec', () => {
  const cases: [string, [string, string, string][]][] = [
    ['80', [['80/tcp', '', '']]],
    ['8080:80', [['80/tcp', '', '8080']]],
    ['127.0.0.1:8080:80/udp', [['80/udp', '127.0.0.1', '8080']]],
    ['127.0.0.1::80', [['80/tcp', '127.0.0.1', '']]],
    ['53:53/UDP', [['53/udp', '', '53']]],
    [
      '8000-8001:80-81',
      [
        ['80/tcp', '', '8000'],
        ['81/tcp', '', '8001'],
      ],
    ],
    ['8000-8010:80', [['80/tcp', '', '8000-8010']]],
    [
      '80-81/udp',
      [
        ['80/udp', '', ''],
        ['81/udp', '', ''],
      ],
    ],
    ['0:80', [['80/tcp', '', '0']]],
  ];
  for (const [spec, want] of cases)
    it(spec, () =>
      assert.deepEqual(
        parsePortSpec(spec).map((m) => [m.port, m.binding.HostIp, m.binding.HostPort]),
        want,
      ),
    );

  const refusals: [string, RegExp][] = [
    ['8000-8002:80-81', /Invalid ranges specified for container and host Ports: 80-81 and 8000-8002/],
    ['abc', /Invalid containerPort: abc/],
    ['0', /Invalid containerPort: 0/],
    ['70000', /Invalid containerPort: 70000/],
    ['81-80', /Invalid containerPort: 81-80/],
    ['x:80', /Invalid hostPort: x/],
    ['1.2.3:80:80', /Invalid ip address: 1.2.3/],
    ['80/sctp', /sctp ports are not supported/],
    ['80/icmp', /Invalid proto: icmp/],
    ['[::1]:80:80', /IPv6 host addresses are not supported/],
    ['1:2:3:4', /Invalid port specification/],
    ['127.0.0.1:80:', /No port specified: 127.0.0.1:80:<empty>/],
  ];
  for (const [spec, want] of refusals)
    it(`refuses ${spec}`, () =>
      assert.match(
        refusal(() => parsePortSpec(spec)),
        want,
      ));
});

describe('parsePublish / publishAll / inspectPorts / portLines', () => {
  it('several -p values merge per container port, as docker does', () => {
    assert.deepEqual(parsePublish(['8080:80', '127.0.0.1:9090:80', '53/udp']), {
      ExposedPorts: { '80/tcp': {}, '53/udp': {} },
      PortBindings: {
        '80/tcp': [
          { HostIp: '', HostPort: '8080' },
          { HostIp: '127.0.0.1', HostPort: '9090' },
        ],
        '53/udp': [{ HostIp: '', HostPort: '' }],
      },
    });
  });
  it('exposed port forms', () => {
    assert.deepEqual(exposedKey('80'), ['80/tcp']);
    assert.deepEqual(exposedKey('7000-7001/udp'), ['7000/udp', '7001/udp']);
    assert.match(
      refusal(() => exposedKey('80/gre')),
      /Invalid proto/,
    );
  });
  it('-P gives every unbound exposed port a random host port and keeps explicit ones', () => {
    assert.deepEqual(
      publishAll({ '80/tcp': {}, '443/tcp': {} }, { '80/tcp': [{ HostIp: '', HostPort: '8080' }] }),
      {
        '80/tcp': [{ HostIp: '', HostPort: '8080' }],
        '443/tcp': [{ HostIp: '', HostPort: '' }],
      },
    );
  });
  it("inspect's Ports: bound ports with 0.0.0.0 for any address, null for exposed only, sorted", () => {
    assert.deepEqual(
      inspectPorts(
        { '443/tcp': {}, '80/tcp': {}, '53/udp': {} },
        {
          '80/tcp': [{ HostIp: '', HostPort: '49153' }],
          '53/udp': [{ HostIp: '127.0.0.1', HostPort: '5353' }],
        },
      ),
      {
        '53/udp': [{ HostIp: '127.0.0.1', HostPort: '5353' }],
        '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '49153' }],
        '443/tcp': null,
      },
    );
  });
  it('docker port lines, all or for one port', () => {
    const ports = {
      '80/tcp': [
        { HostIp: '0.0.0.0', HostPort: '8080' },
        { HostIp: '127.0.0.1', HostPort: '9090' },
      ],
      '53/udp': [{ HostIp: '0.0.0.0', HostPort: '5353' }],
      '443/tcp': null,
    };
    assert.deepEqual(portLines(ports), [
      '53/udp -> 0.0.0.0:5353',
      '80/tcp -> 0.0.0.0:8080',
      '80/tcp -> 127.0.0.1:9090',
    ]);
    assert.deepEqual(portLines(ports, '80'), ['0.0.0.0:8080', '127.0.0.1:9090']);
    assert.deepEqual(portLines(ports, '53/udp'), ['0.0.0.0:5353']);
    assert.match(
      refusal(() => portLines(ports, '443')),
      /No public port '443\/tcp' published/,
    );
  });
});
