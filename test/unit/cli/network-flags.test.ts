/** `run`/`create --network` (repeatable, short and long forms) → the create body docker 28's CLI sends. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readUntilOperand } from '../../../src/cli/flags/until-operand';
import { runFlagTable } from '../../../src/cli/container/run-flag-table';
import { buildCreateRequest } from '../../../src/cli/container/create-request';
import { TscomposeError } from '../../../src/common/errors';

const io = { env: {}, cwd: '/', readFile: (): string => '' };

function networking(argv: string[]): { mode?: string; config?: unknown } {
  const { flags, operands } = readUntilOperand([...argv, 'busybox'], runFlagTable);
  const { body } = buildCreateRequest(flags, operands, io);
  return {
    ...(body.HostConfig?.NetworkMode !== undefined ? { mode: body.HostConfig.NetworkMode } : {}),
    ...(body.NetworkingConfig ? { config: body.NetworkingConfig.EndpointsConfig } : {}),
  };
}

test('--network: the first is the mode, every one an endpoint; plain flags go to the first', () => {
  assert.deepEqual(networking([]), {});
  assert.deepEqual(networking(['--network', 'front']), { mode: 'front' });
  assert.deepEqual(networking(['--net', 'front', '--network', 'back']), {
    mode: 'front',
    config: { front: {}, back: {} },
  });
  assert.deepEqual(
    networking(['--network', 'front', '--network-alias', 'db', '--ip', '10.1.0.5', '--network', 'back']),
    {
      mode: 'front',
      config: { front: { Aliases: ['db'], IPAMConfig: { IPv4Address: '10.1.0.5' } }, back: {} },
    },
  );
  assert.deepEqual(networking(['--network-alias', 'db']), { config: { default: { Aliases: ['db'] } } });
  assert.deepEqual(
    networking([
      '--network',
      'name=front,alias=a,alias=b,ip=10.1.0.7,mac-address=02-42-0A-01-00-07',
      '--network',
      '"name=back",alias=c',
    ]),
    {
      mode: 'front',
      config: {
        front: {
          Aliases: ['a', 'b'],
          IPAMConfig: { IPv4Address: '10.1.0.7' },
          MacAddress: '02:42:0a:01:00:07',
        },
        back: { Aliases: ['c'] },
      },
    },
  );
  assert.deepEqual(networking(['--network', 'container:web']), { mode: 'container:web' });
  assert.deepEqual(networking(['--network', 'name=back,ip6=fd00::5']), {
    mode: 'back',
    config: { back: { IPAMConfig: { IPv6Address: 'fd00::5' } } },
  });
});

test('bad --network values are refused with docker wording and exit 125', () => {
  const table: [string[], string][] = [
    [['--network', 'a', '--network', 'a'], 'network "a" is specified multiple times'],
    [
      ['--network', 'bridge', '--network', 'front'],
      'conflicting options: cannot attach both user-defined and non-user-defined network-modes',
    ],
    [
      ['--network', 'front', '--network', 'container:web'],
      'conflicting options: cannot attach both user-defined and non-user-defined network-modes',
    ],
    [
      ['--network', 'alias=x'],
      'invalid argument "alias=x" for "--network" flag: network name/id is not specified',
    ],
    [
      ['--network', 'name=a,colour=red'],
      'invalid argument "name=a,colour=red" for "--network" flag: invalid field key colour',
    ],
    [['--network', 'name=a,bare'], 'invalid argument "name=a,bare" for "--network" flag: invalid field bare'],
    [
      ['--network', 'name=a,driver-opt=x=y'],
      'invalid argument "name=a,driver-opt=x=y" for "--network" flag: driver-opt is not supported by this engine',
    ],
    [
      ['--network', 'name=a,alias=x', '--network-alias', 'y'],
      'conflicting options: cannot specify both --network-alias and per-network alias',
    ],
    [
      ['--network', 'name=a,ip=10.0.0.2', '--ip', '10.0.0.3'],
      'conflicting options: cannot specify both --ip and per-network IPv4 address',
    ],
    [['--network', 'name=a,ip=10.0.0'], 'invalid argument "10.0.0" for "--ip" flag: invalid IPv4 address'],
  ];
  for (const [argv, message] of table)
    assert.throws(
      () => networking(argv),
      (e: unknown) => e instanceof TscomposeError && e.exitCode === 125 && e.message === message,
      argv.join(' '),
    );
});
