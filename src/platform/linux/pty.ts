/**
 * Pseudo-terminals by ioctl, so that one can be made inside a container's own devpts (its
 * `ptmx`), which openpty(3) cannot be pointed at: unlock and number the slave, open it, make it
 * the controlling terminal, set the window size.
 */
import fs from 'node:fs';
import path from 'node:path';
import { check, libc } from './lib';

const ioctlFn = libc.func('int ioctl(int fd, unsigned long request, void *arg)');

const TCGETS = 0x5401;
const TCSETS = 0x5402;
const TIOCSCTTY = 0x540e;
const TIOCGWINSZ = 0x5413;
const TIOCSWINSZ = 0x5414;
const TIOCGPTN = 0x80045430; // _IOR('T', 0x30, unsigned int)
const TIOCSPTLCK = 0x40045431; // _IOW('T', 0x31, int)
const O_NOCTTY = 0o400;
/** struct termios as the kernel has it: four flag words, the line discipline, 19 control chars. */
const TERMIOS_SIZE = 36;
const C_OFLAG = 4;
const OPOST = 0x1;

export interface Pty {
  master: number;
  slave: number;
  /** The slave's path under `devpts` (e.g. `/dev/pts/0`). */
  slavePath: string;
}

/** A new pty from the `ptmx` of the devpts mounted at `devpts`; both ends close-on-exec. */
export function openPty(devpts: string): Pty {
  const master = fs.openSync(path.join(devpts, 'ptmx'), fs.constants.O_RDWR | O_NOCTTY);
  try {
    const unlock = Buffer.alloc(4); // 0: unlocked
    check(ioctlFn(master, TIOCSPTLCK, unlock) as number, 'ioctl', 'TIOCSPTLCK');
    const number = Buffer.alloc(4);
    check(ioctlFn(master, TIOCGPTN, number) as number, 'ioctl', 'TIOCGPTN');
    const slavePath = path.join(devpts, String(number.readUInt32LE(0)));
    const slave = fs.openSync(slavePath, fs.constants.O_RDWR | O_NOCTTY);
    return { master, slave, slavePath };
  } catch (err) {
    fs.closeSync(master);
    throw err;
  }
}

/** struct winsize: rows, columns, then two pixel sizes nobody uses. */
export function setWindowSize(fd: number, rows: number, cols: number): void {
  const ws = Buffer.alloc(8);
  ws.writeUInt16LE(clamp(rows), 0);
  ws.writeUInt16LE(clamp(cols), 2);
  check(ioctlFn(fd, TIOCSWINSZ, ws) as number, 'ioctl', 'TIOCSWINSZ');
}

export function windowSize(fd: number): { rows: number; cols: number } {
  const ws = Buffer.alloc(8);
  check(ioctlFn(fd, TIOCGWINSZ, ws) as number, 'ioctl', 'TIOCGWINSZ');
  return { rows: ws.readUInt16LE(0), cols: ws.readUInt16LE(2) };
}

/** The terminal on `fd` becomes the controlling terminal of the caller, a session leader without one. */
export function setControllingTerminal(fd: number): void {
  check(ioctlFn(fd, TIOCSCTTY, null) as number, 'ioctl', 'TIOCSCTTY');
}

function clamp(n: number): number {
  return Math.max(0, Math.min(0xffff, Math.trunc(n)));
}

/**
 * Output post-processing (OPOST) of the terminal on `fd` on or off: libuv's raw mode leaves it
 * on, so a bare \n written to a raw terminal would still gain a \r.
 */
export function setOutputProcessing(fd: number, on: boolean): void {
  const t = Buffer.alloc(TERMIOS_SIZE);
  check(ioctlFn(fd, TCGETS, t) as number, 'ioctl', 'TCGETS');
  const oflag = t.readUInt32LE(C_OFLAG);
  t.writeUInt32LE(on ? oflag | OPOST : oflag & ~OPOST, C_OFLAG);
  check(ioctlFn(fd, TCSETS, t) as number, 'ioctl', 'TCSETS');
}
