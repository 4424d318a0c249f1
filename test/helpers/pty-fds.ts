/**
 * The leak sweep's view of pseudo-terminals: the pty descriptors a process holds (masters of
 * any devpts instance, and slaves), so a test can check that none outlives its container.
 */
import fs from 'node:fs';

const PTMX_MAJOR = 5;
const PTMX_MINOR = 2;
/** Unix98 pty slaves: majors 136..143. */
const isSlaveMajor = (major: number): boolean => major >= 136 && major <= 143;

function majorMinor(rdev: number): [number, number] {
  return [
    ((rdev >> 8) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff),
    (rdev & 0xff) | ((rdev >> 12) & ~0xff),
  ];
}

/** `fd:major:minor` of every pty descriptor `pid` holds. */
export function ptyFds(pid: number | 'self' = 'self'): string[] {
  const dir = `/proc/${pid}/fd`;
  const out: string[] = [];
  let fds: string[];
  try {
    fds = fs.readdirSync(dir);
  } catch {
    return out;
  }
  for (const fd of fds) {
    let st: fs.Stats;
    try {
      st = fs.statSync(`${dir}/${fd}`);
    } catch {
      continue; // closed meanwhile
    }
    if (!st.isCharacterDevice()) continue;
    const [major, minor] = majorMinor(st.rdev);
    if ((major === PTMX_MAJOR && minor === PTMX_MINOR) || isSlaveMajor(major))
      out.push(`${fd}:${major}:${minor}`);
  }
  return out.sort();
}

/** Waits a little for descriptors being closed; fails with what is left beyond `baseline`. */
export async function assertNoPtyLeaks(
  pid: number | 'self',
  baseline: readonly string[] = [],
): Promise<void> {
  let left: string[] = [];
  for (let i = 0; i < 50; i++) {
    left = ptyFds(pid).filter((f) => !baseline.includes(f));
    if (!left.length) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`pty descriptors left in ${pid}: ${left.join(', ')}`);
}
