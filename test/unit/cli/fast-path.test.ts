/**
 * The fast path against the oclif path: for every argv the fast path serves, both read the same
 * flags and operands and so build the same request (or refuse it with the same words and exit
 * code); everything else it must leave to oclif.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Config, Parser, type Interfaces } from '@oclif/core';
import { collectFlags, scanArgv } from '../../../src/cli/flags/argv-scan';
import type { FlagSpec, FlagTable } from '../../../src/cli/flags/flag-spec';
import { execRequest } from '../../../src/cli/container/exec';
import { HOT_COMMANDS } from '../../../src/cli/container/commands';
import { fastCommand, fastParse } from '../../../src/cli/fast/index';
import { userAgent } from '../../../src/cli/fast/version';
import { buildCreateRequest } from '../../../src/cli/container/create-request';
import { requireOperands } from '../../../src/cli/flags/usage';
import ContainerCreate from '../../../src/commands/container/create';
import ContainerExec from '../../../src/commands/container/exec';
import ContainerInspect from '../../../src/commands/container/inspect';
import ContainerKill from '../../../src/commands/container/kill';
import ContainerLogs from '../../../src/commands/container/logs';
import ContainerLs from '../../../src/commands/container/ls';
import ContainerRestart from '../../../src/commands/container/restart';
import ContainerRm from '../../../src/commands/container/rm';
import ContainerRun from '../../../src/commands/container/run';
import ContainerStart from '../../../src/commands/container/start';
import ContainerStop from '../../../src/commands/container/stop';
import ContainerWait from '../../../src/commands/container/wait';
import Down from '../../../src/commands/down';
import Up from '../../../src/commands/up';
import ComposeLogs from '../../../src/commands/logs';
import ComposePs from '../../../src/commands/ps';
import ComposeLs from '../../../src/commands/ls';
import { COMPOSE_HOT_COMMANDS } from '../../../src/cli/compose/commands';
import { REPO_ROOT } from '../../helpers/cli';

type Outcome = { ok: unknown } | { error: string; exit: number };

async function outcome(f: () => unknown): Promise<Outcome> {
  try {
    return { ok: await f() };
  } catch (err) {
    const e = err as { message: string; exitCode?: number; oclif?: { exit: number } };
    return { error: e.message.split('\n')[0], exit: e.exitCode ?? e.oclif?.exit ?? 1 };
  }
}

const io = { env: { FROM_HERE: 'x' }, cwd: '/work', readFile: () => 'A=1\n' };

interface OclifFlagDef {
  type: 'boolean' | 'option';
  char?: string;
  aliases?: readonly string[];
  multiple?: boolean;
  default?: unknown;
}

/**
 * The flags an oclif class declares (its help, its manifest) as a table, read by pflag's rules:
 * the fast path reads the descriptor's table, so the two agree only if the class shows them all.
 */
function oclifTable(c: { flags: object; baseFlags: object }): FlagTable {
  const defs = { ...c.baseFlags, ...c.flags } as Record<string, OclifFlagDef>;
  return Object.fromEntries(
    Object.entries(defs).map(([name, d]): [string, FlagSpec] => {
      const common = { char: d.char, aliases: d.aliases, description: '' };
      if (d.type === 'boolean') return [name, { kind: 'boolean', ...common }];
      if (d.multiple) return [name, { kind: 'list', ...common }];
      const fallback = typeof d.default === 'string' ? d.default : undefined;
      return [name, { kind: 'string', default: fallback, ...common }];
    }),
  );
}

function parseUntilOperand(argv: string[], table: FlagTable) {
  const { events, operands } = scanArgv(argv, table);
  return { flags: collectFlags(table, events), operands };
}

/** What the request of run, create and exec is built from, read by one path or the other. */
const BUILD: Record<string, { flags: FlagTable; build: (f: never, ops: string[]) => unknown }> = {
  run: {
    flags: oclifTable(ContainerRun),
    build: (f, ops) => (requireOperands('container run', ops, 1), buildCreateRequest(f, ops, io)),
  },
  create: {
    flags: oclifTable(ContainerCreate),
    build: (f, ops) => (requireOperands('container create', ops, 1), buildCreateRequest(f, ops, io)),
  },
  exec: { flags: oclifTable(ContainerExec), build: (f, ops) => execRequest(f, ops) },
};

/** [argv after `container`, whether the fast path serves it] */
const UNTIL_OPERAND: [string[], boolean][] = [
  [['run', 'busybox'], true],
  [['run', '--rm', 'busybox', 'true'], true],
  [['run', '-d', '--name', 'web', '-m', '64m', '--cpus', '0.5', 'busybox', 'sleep', '1'], true],
  [['run', '-e', 'A=1', '-eB=2', '-e=C=3', '--env', 'FROM_HERE', '--env-file', '/f', 'busybox'], true],
  [['run', '--rm=false', '--name=a', '--name', 'b', 'busybox'], true],
  [['run', '--rm', '--rm=false', '-d', '-d=0', 'busybox'], true],
  [['run', '--entrypoint', '-x', '-w', '-', 'busybox'], true],
  [['run', '-dit', '--net', 'none', '--dns-opt', 'ndots:1', 'busybox'], true],
  [['run', '-H', 'unix:///s.sock', '--host=unix:///t.sock', 'busybox'], true],
  [['run', '--', 'busybox', '--rm'], true],
  [['run', 'busybox', 'ls', '-l', '--rm', '--', '-h'], true],
  [['run', '-v', '/a:/b:ro', '--mount', 'type=tmpfs,target=/t', '--tmpfs', '/r:size=1m', 'busybox'], true],
  [
    ['run', '-c', '512', '-uapp', '-w/tmp', '-l', 'a=1', '--label=b', '--read-only', '--init', 'busybox'],
    true,
  ],
  [['run', '--health-cmd', 'true', '--health-interval=5s', '--health-retries', '3', 'busybox'], true],
  [['run', '--log-driver', 'none', '--log-opt', 'max-size=1m', '--restart', 'on-failure:3', 'busybox'], true],
  [
    [
      'run',
      '--stop-signal',
      'INT',
      '--stop-timeout',
      '5',
      '--pids-limit=10',
      '--ulimit',
      'nofile=1:2',
      'busybox',
    ],
    true,
  ],
  [['run', '-m', 'lots', 'busybox'], true],
  [['run', '--rm', '--restart', 'always', 'busybox'], true],
  [['run', 'BusyBox'], true],
  [['run'], true],
  [['run', '-d', '--rm'], true],
  [['run', '--bogus', 'busybox'], false],
  [['run', '-x', 'busybox'], false],
  [['run', '-dx', 'busybox'], false],
  [['run', '--name'], false],
  [['run', '-e'], false],
  [['run', '--rm=maybe', 'busybox'], false],
  [['run', '-d=maybe', 'busybox'], false],
  [['run', '---rm', 'busybox'], false],
  [['create', '--name', 'box', '-t', '-i', 'busybox', 'sh'], true],
  [['create', '-d', 'busybox'], false],
  [['exec', 'web', 'ls', '-l'], true],
  [['exec', '-e', 'A=1', '-u', 'app', '-w', '/tmp', '--privileged', 'web', 'sh', '-c', 'x'], true],
  [['exec', '-d', 'web', 'sleep', '1'], true],
  [['exec', '-it', 'web', 'sh'], true],
  [['exec', 'web'], true],
  [['exec', '--bogus', 'web', 'ls'], false],
  [['exec', '--rm', 'web', 'ls'], false],
];

test('run, create and exec: the fast path reads what the oclif path reads', async () => {
  for (const [argv, served] of UNTIL_OPERAND) {
    const [name, ...rest] = argv;
    const { flags, build } = BUILD[name];
    const oclif = await outcome(async () => {
      const parsed = parseUntilOperand(rest, flags);
      return build(parsed.flags as never, parsed.operands);
    });
    const fast = fastParse(['container', ...argv]);
    assert.equal(fast !== undefined, served, `${argv.join(' ')}: served by the fast path`);
    if (fast)
      assert.deepEqual(await outcome(() => build(fast.flags as never, fast.operands)), oclif, argv.join(' '));
    else if ('ok' in oclif) assert.fail(`${argv.join(' ')}: oclif reads it, the fast path should too`);
  }
});

/** The commands oclif parses itself (flags anywhere), as their classes tell oclif to. */
const PARSED: Record<string, { flags: object; baseFlags?: object; args?: object; strict?: boolean }> = {
  ls: ContainerLs,
  ps: ContainerLs,
  logs: ContainerLogs,
  start: ContainerStart,
  stop: ContainerStop,
  restart: ContainerRestart,
  kill: ContainerKill,
  rm: ContainerRm,
  wait: ContainerWait,
  inspect: ContainerInspect,
  up: Up,
  down: Down,
};

/** The fast path's reading of an argv it serves (its command may still decline it: `logs a b`). */
function servedParse(argv: string[]): ReturnType<typeof fastParse> {
  return fastCommand(argv, {}) && fastParse(argv);
}

async function oclifParse(name: string, argv: string[], c = PARSED[name]): Promise<Outcome> {
  return outcome(async () => {
    const r = await Parser.parse(argv, {
      flags: { ...(c.baseFlags ?? {}), ...(c.flags ?? {}) } as Interfaces.FlagInput,
      args: (c.args ?? {}) as Interfaces.ArgInput,
      strict: c.strict ?? true,
    });
    return { flags: r.flags, operands: r.argv };
  });
}

const INTERSPERSED: [string[], boolean][] = [
  [['ls'], true],
  [['ls', '-a'], true],
  [['ls', '-aq', '--no-trunc'], true],
  [['ps', '-qa'], true],
  [['ls', '--filter', 'name=x', '-f', 'label=a=b', '-fstatus=exited', '-f=id=1'], true],
  [['ls', '--format', '{{.ID}}'], true],
  [['ls', '--format={{.Names}}\t{{.Status}}', '-H', 'unix:///x.sock'], true],
  [['ls', '--format=-x'], true],
  [['ls', '-f', ''], true],
  [['ls', '--all=false'], false],
  [['ls', '-a=true'], false],
  [['ls', 'web'], false],
  [['ls', '--format', 'a', '--format', 'b'], false],
  [['ls', '--format', '-a'], false],
  [['ls', '--bogus'], false],
  [['ls', '-z'], false],
  [['ls', '--format'], false],
  [['ls', '--help'], false],
  [['logs', 'web'], true],
  [['logs', '-f', 'web'], true],
  [['logs', 'web', '-ft', '--tail', '5'], true],
  [['logs', '-n3', '--since=10m', '--until', '2024-01-01T00:00:00Z', 'web'], true],
  [['logs', '--', '-web'], true],
  [['logs'], false],
  [['logs', 'a', 'b'], false],
  [['logs', '--follow=true', 'web'], false],
  [['start', 'a', 'b'], true],
  [['start'], true],
  [['stop', '-t', '5', 'a', 'b'], true],
  [['stop', 'web', '--time=3', '-s', 'INT'], true],
  [['stop', '-t5', 'web'], true],
  [['restart', '-t', '007', 'web'], true],
  [['stop', '-t', '-1', 'web'], false],
  [['stop', '-t', 'x', 'web'], false],
  [['stop', '-t', '1', '-t', '2', 'web'], false],
  [['kill', '-s', 'HUP', 'web'], true],
  [['kill', '--signal=KILL', 'a', 'b'], true],
  [['rm', '-f', 'a'], true],
  [['rm', '-fv', 'a', 'b'], true],
  [['rm', 'a', '--force', '--volumes'], true],
  [['rm', '-f=1', 'a'], false],
  [['wait', 'a', 'b'], true],
  [['inspect', 'web'], true],
  [['inspect', '-f', '{{.State.Status}}', 'a', 'b'], true],
  [['inspect', 'a', '--format', 'json'], true],
];

test('ls, logs, start, stop, kill, rm, wait, inspect: the fast path reads what oclif reads', async () => {
  for (const [argv, served] of INTERSPERSED) {
    const [name, ...rest] = argv;
    const fast = servedParse(['container', ...argv]);
    assert.equal(fast !== undefined, served, `${argv.join(' ')}: served by the fast path`);
    const oclif = await oclifParse(name, rest);
    if (fast) assert.deepEqual({ ok: { flags: fast.flags, operands: fast.operands } }, oclif, argv.join(' '));
  }
});

test('up and down: the fast path reads what oclif reads', async () => {
  const cases: [string[], boolean][] = [
    [['up', '-d', '--wait', '--file=/x/compose.yaml', '--project-name=demo', 'web', 'db'], true],
    [['up', '--scale', 'w=2', '--scale=x=3', '-t', '5', '--no-attach', 'a', '--pull', 'never'], true],
    [['up', 'tests', '--abort-on-container-exit', '--exit-code-from', 'tests', '-V'], true],
    [['up', '--wait-timeout', 'x'], false],
    [['up', '--help'], false],
    [['down', '-v', '--rmi', 'local', '-t', '0', '--remove-orphans'], true],
    [['down', '--project-name=demo', '--dry-run'], true],
    [['down', 'web'], false],
  ];
  for (const [argv, served] of cases) {
    const [name, ...rest] = argv;
    const fast = servedParse(argv);
    assert.equal(fast !== undefined, served, `${argv.join(' ')}: served by the fast path`);
    if (fast)
      assert.deepEqual(
        { ok: { flags: fast.flags, operands: fast.operands } },
        await oclifParse(name, rest),
        argv.join(' '),
      );
  }
});

/** The compose verbs the fast path serves, after bin/ moved the leading global flags behind them. */
const COMPOSE: [string[], boolean][] = [
  [['ps'], true],
  [['ps', '-a', '-q', 'web', 'db'], true],
  [['ps', '--file=compose.yaml', '--project-name=demo', '--format', 'json', '--no-trunc'], true],
  [['ps', '--status', 'running', '--status=exited', '--filter', 'status=paused', '--services'], true],
  [['ps', '-aq', '--', '-odd'], true],
  [['ps', '--bogus'], false],
  [['ps', '--help'], false],
  [['logs'], true],
  [['logs', '-f', 'web'], true],
  [['logs', '--file=a.yml', '-f', '-t', '-n', '5', '--index', '2', 'web'], true],
  [['logs', '--since=10m', '--until', '1h', '--no-color', '--no-log-prefix', 'a', 'b'], true],
  [['logs', '--index', 'x', 'web'], false],
  [['ls'], true],
  [['ls', '-a', '--filter', 'name=demo', '--filter=name=x', '--format', 'json', '-q'], true],
  [['ls', 'demo'], false],
];

test('ps, logs and ls (compose): the fast path reads what oclif reads', async () => {
  const classes: Record<string, typeof ComposePs> = { ps: ComposePs, logs: ComposeLogs, ls: ComposeLs };
  for (const [argv, served] of COMPOSE) {
    const [name, ...rest] = argv;
    const fast = servedParse(argv);
    assert.equal(fast !== undefined, served, `${argv.join(' ')}: served by the fast path`);
    assert.equal(fast?.command.id ?? name, name);
    const oclif = await oclifParse(name, rest, classes[name]);
    if (fast) assert.deepEqual({ ok: { flags: fast.flags, operands: fast.operands } }, oclif, argv.join(' '));
  }
  for (const [word, load] of Object.entries(COMPOSE_HOT_COMMANDS)) assert.equal(load().id, word);
});

/** `count` argvs of up to `longest` tokens drawn from `tokens`, the same ones on every run. */
function* randomArgvs(tokens: string[], count: number, longest: number): Generator<string[]> {
  let seed = 7;
  const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  for (let k = 0; k < count; k += 1)
    yield Array.from({ length: rand(longest + 1) }, () => tokens[rand(tokens.length)]);
}

/** Many argvs made of tokens oclif and pflag read differently: the fast path agrees or declines. */
test('random argvs: whatever the fast path serves, oclif reads alike', async () => {
  const tokens = '-a -q -aq -f -fx -f=x --filter --filter= x - -- -x --all --all=0 --format --format=y'.split(
    ' ',
  );
  tokens.push(...'-t 5 -5 -t5 --time=2 -s KILL --tail -n --no-trunc'.split(' '));
  const names = ['ls', 'logs', 'stop', 'rm', 'inspect'];
  let served = 0;
  let k = 0;
  for (const rest of randomArgvs(tokens, 3000, 6)) {
    const name = names[k++ % names.length];
    const fast = servedParse(['container', name, ...rest]);
    if (!fast) continue;
    served += 1;
    const oclif = await oclifParse(name, rest);
    const label = [name, ...rest].join(' ');
    assert.deepEqual({ ok: { flags: fast.flags, operands: fast.operands } }, oclif, label);
  }
  assert.ok(served > 200, `only ${served} of 3000 served`);
});

test('random run argvs: the fast path builds the request the oclif path builds', async () => {
  const tokens = '-d -e A=1 -eB --rm --rm=false -t --name x --name=y -m 1g -x busybox sh -- -'.split(' ');
  tokens.push(...'--env=C=3 -v /a:/b -dt --net -c=2 --entrypoint'.split(' '), '');
  for (const rest of randomArgvs(tokens, 1000, 6)) {
    const fast = fastParse(['container', 'run', ...rest]);
    if (!fast) continue;
    const oclif = await outcome(async () => {
      const parsed = parseUntilOperand(rest, BUILD.run.flags);
      return BUILD.run.build(parsed.flags as never, parsed.operands);
    });
    const label = ['run', ...rest].join(' ');
    assert.deepEqual(await outcome(() => BUILD.run.build(fast.flags as never, fast.operands)), oclif, label);
  }
});

test('what the fast path leaves to oclif: help, operands oclif refuses, other commands', () => {
  const none: string[][] = [
    ['container', 'run', 'busybox', 'sh', '-h'],
    ['container', 'ls', '--help'],
    ['container', 'top', 'web'],
    ['container', 'pause', 'web'],
    ['container', 'ls', 'x'],
    ['container'],
    ['image', 'ls'],
    ['config'],
    [],
  ];
  for (const argv of none) assert.equal(fastCommand(argv, {}), undefined, argv.join(' '));
  const served: string[][] = [
    ['container', 'run', '-it', 'busybox', 'sh'],
    ['container', 'run', '-i', 'busybox', 'cat'],
    ['container', 'exec', '-t', 'web', 'sh'],
    ['container', 'exec', '-di', 'web', 'cat'],
    ['container', 'run', '-dit', 'busybox', 'sh'],
    ['container', 'run', '--rm', '--', 'busybox', 'sh', '-h'],
    ['container', 'create', '-it', 'busybox'],
    ['container', 'list'],
    ['container', 'remove', 'web'],
  ];
  for (const argv of served) assert.equal(typeof fastCommand(argv, {}), 'function', argv.join(' '));
  assert.equal(fastCommand(['container', 'ls'], { TSCOMPOSE_NO_FAST_PATH: '1' }), undefined);
});

test('--version prints what oclif prints', async () => {
  const config = await Config.load({ root: REPO_ROOT, devPlugins: false, userPlugins: false });
  assert.equal(userAgent(), config.userAgent);
});

test('the fast path knows each hot command by its id and by every alias its oclif command has', () => {
  const words = new Set(Object.keys(HOT_COMMANDS));
  for (const [word, load] of Object.entries(HOT_COMMANDS)) {
    const d = load();
    const [topic] = d.id.split(' ');
    const names = [d.id, ...(d.aliases ?? []).map((a) => `${topic} ${a}`)];
    assert.ok(names.includes(word), `${word} calls ${d.id}`);
    for (const name of names) assert.ok(words.has(name), `${name} (${d.id}) is served`);
  }
});
