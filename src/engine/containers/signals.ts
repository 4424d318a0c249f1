/** Signal names as docker accepts them: `SIGTERM`, `TERM`, `term`, `15`. */
import os from 'node:os';
import { InvalidArgumentError } from '../../common/errors';

export function parseSignal(value: string | number): number {
  if (typeof value === 'number' || /^\d+$/.test(value)) {
    const n = Number(value);
    if (n >= 1 && n <= 64) return n;
  } else {
    const upper = value.toUpperCase();
    const name = (upper.startsWith('SIG') ? upper : `SIG${upper}`) as NodeJS.Signals;
    const n = os.constants.signals[name];
    if (n !== undefined) return n;
  }
  throw new InvalidArgumentError(`Invalid signal: ${value}`);
}
