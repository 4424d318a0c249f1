import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeFrame, FrameDecoder, type Frame } from '../../src/common/frames';

const FRAMES: Frame[] = [
  { stream: 'stdout', data: Buffer.from('hello\n') },
  { stream: 'stderr', data: Buffer.from('oops') },
  { stream: 'stdout', data: Buffer.alloc(0) },
  { stream: 'systemerr', data: Buffer.from('boom') },
  { stream: 'stdout', data: Buffer.alloc(70_000, 'x') },
];
const WIRE = Buffer.concat(FRAMES.map((f) => encodeFrame(f.stream, f.data)));

function decodeIn(pieces: Buffer[]): { frames: Frame[]; atBoundary: boolean } {
  const d = new FrameDecoder();
  const frames = pieces.flatMap((p) => d.push(p));
  return { frames, atBoundary: d.atBoundary };
}

function cutAt(buf: Buffer, cuts: number[]): Buffer[] {
  const bounds = [0, ...cuts, buf.length];
  return bounds.slice(1).map((end, i) => buf.subarray(bounds[i], end));
}

test('frame header: stream byte, three zeros, big-endian length', () => {
  assert.equal(encodeFrame('stderr', 'ab').toString('hex'), '02000000000000026162');
  assert.equal(
    encodeFrame('stdout', Buffer.alloc(0x010203)).subarray(0, 8).toString('hex'),
    '0100000000010203',
  );
});

test('decoding gives the same frames however the input is cut', () => {
  const cases: [string, Buffer[]][] = [
    ['one chunk', [WIRE]],
    ['inside the first header', cutAt(WIRE, [3])],
    ['between header and payload', cutAt(WIRE, [8])],
    ['inside a payload', cutAt(WIRE, [10])],
    ['at a frame boundary', cutAt(WIRE, [14])],
    ['inside the second header, then its payload', cutAt(WIRE, [15, 22, 23])],
    ['around the empty frame', cutAt(WIRE, [26, 30, 34])],
    ['the big payload in many pieces', cutAt(WIRE, [60, 1000, 30_000, 69_999])],
    ['empty chunks among them', [Buffer.alloc(0), ...cutAt(WIRE, [5]), Buffer.alloc(0)]],
    ['byte by byte', [...WIRE.subarray(0, 60)].map((b) => Buffer.from([b])).concat([WIRE.subarray(60)])],
  ];
  for (const [name, pieces] of cases) {
    const { frames, atBoundary } = decodeIn(pieces);
    assert.deepEqual(frames, FRAMES, name);
    assert.ok(atBoundary, name);
  }
});

test('an input cut inside a frame is not at a boundary', () => {
  for (const end of [1, 8, 12])
    assert.equal(decodeIn([WIRE.subarray(0, end)]).atBoundary, false, String(end));
});

test('a bad header is refused', () => {
  assert.throws(() => new FrameDecoder().push(Buffer.from('HTTP/1.1 200 OK')), /bad frame header/);
  assert.throws(() => new FrameDecoder().push(Buffer.from([9, 0, 0, 0, 0, 0, 0, 0])), /bad frame header/);
});
