/** The request-body check alone: nulls read as dockerd reads them, and Go json's wording of a mismatch. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkBody, stripNulls, type BodyKind } from '../../src/engine/server/body-check';
import { InvalidArgumentError } from '../../src/common/errors';

function refusal(kind: BodyKind, body: unknown): string {
  try {
    checkBody(kind, body);
  } catch (err) {
    assert.ok(err instanceof InvalidArgumentError, String(err));
    assert.equal(err.kind, 'invalid-argument');
    return err.message;
  }
  assert.fail(`accepted: ${JSON.stringify(body)}`);
}

describe('stripNulls', () => {
  it('drops null fields at any depth and null list items, keeps falsy values', () => {
    assert.deepEqual(
      stripNulls({ a: null, b: { c: null, d: 0, e: '', f: false, g: [null, 'x', { h: null }] }, i: [] }),
      { b: { d: 0, e: '', f: false, g: ['x', {}] }, i: [] },
    );
  });
  it('a null body is no body', () => assert.deepEqual(checkBody('containerCreate', null), {}));
  it('leaves the input as it was', () => {
    const input = { a: null, b: [null] };
    stripNulls(input);
    assert.deepEqual(input, { a: null, b: [null] });
  });
});

describe('checkBody', () => {
  it('a StrSlice given as one string becomes a list of it; lists and other fields pass as they are', () => {
    assert.deepEqual(
      checkBody('containerCreate', {
        Cmd: 'echo hi',
        Entrypoint: ['sh', '-c'],
        Env: ['A=1'],
        HostConfig: { CapAdd: 'NET_ADMIN', CapDrop: null, Unknown: { x: 1 } },
        Future: 'field',
      }),
      {
        Cmd: ['echo hi'],
        Entrypoint: ['sh', '-c'],
        Env: ['A=1'],
        HostConfig: { CapAdd: ['NET_ADMIN'], Unknown: { x: 1 } },
        Future: 'field',
      },
    );
  });

  const go = (v: string, field: string, type: string) =>
    `json: cannot unmarshal ${v} into Go struct field ${field} of type ${type}`;
  const cases: [BodyKind, unknown, string][] = [
    [
      'containerCreate',
      { HostConfig: { Memory: '1g' } },
      go('string', 'HostConfig.HostConfig.Memory', 'int64'),
    ],
    [
      'containerCreate',
      { HostConfig: { Memory: 1e30 } },
      go('number 1e+30', 'HostConfig.HostConfig.Memory', 'int64'),
    ],
    [
      'containerCreate',
      { HostConfig: { ConsoleSize: [-1, 2] } },
      go('number -1', 'HostConfig.HostConfig.ConsoleSize', 'uint'),
    ],
    [
      'containerCreate',
      { HostConfig: { NetworkMode: 1 } },
      go('number', 'HostConfig.HostConfig.NetworkMode', 'container.NetworkMode'),
    ],
    [
      'containerCreate',
      { HostConfig: { LogConfig: { Config: { a: true } } } },
      go('bool', 'LogConfig.HostConfig.LogConfig.Config', 'string'),
    ],
    [
      'containerCreate',
      { HostConfig: { Tmpfs: { '/t': 1 } } },
      go('number', 'HostConfig.HostConfig.Tmpfs', 'string'),
    ],
    ['containerCreate', { Volumes: { '/v': 'x' } }, go('string', 'CreateRequest.Volumes', 'struct {}')],
    ['containerCreate', { StopTimeout: '10' }, go('string', 'CreateRequest.StopTimeout', 'int')],
    [
      'containerCreate',
      'text',
      'json: cannot unmarshal string into Go value of type container.CreateRequest',
    ],
    ['containerCreate', 5, 'json: cannot unmarshal number into Go value of type container.CreateRequest'],
    [
      'containerCreate',
      { 'a/b': { x: 1 }, Labels: { 'a/b~c': 2 } },
      go('number', 'CreateRequest.Labels', 'string'),
    ],
    ['execCreate', { ConsoleSize: [1.5, 2] }, go('number 1.5', 'ExecOptions.ConsoleSize', 'uint')],
    ['execStart', { Tty: 'true' }, go('string', 'ExecStartOptions.Tty', 'bool')],
    ['execStart', [], 'json: cannot unmarshal array into Go value of type container.ExecStartOptions'],
    ['auth', { serveraddress: ['x'] }, go('array', 'AuthConfig.serveraddress', 'string')],
  ];
  for (const [kind, body, message] of cases) {
    it(`${kind} ${JSON.stringify(body)}`, () => assert.equal(refusal(kind, body), message));
  }
});
