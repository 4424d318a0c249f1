/**
 * `--security-opt`, as the docker CLI sends it: `key=value` (or the old `key:value`), and for
 * `seccomp=FILE` the profile's JSON text itself, compacted, since the daemon cannot read our files.
 */
import { UsageError } from '../flags/usage';

export function securityOpts(opts: string[], readFile: (path: string) => string): string[] {
  return opts.map((opt) => {
    let sep = opt.indexOf('=');
    if (sep < 0 && opt !== 'no-new-privileges') sep = opt.indexOf(':');
    const key = sep < 0 ? opt : opt.slice(0, sep);
    const value = sep < 0 ? '' : opt.slice(sep + 1);
    if (key !== 'no-new-privileges' && value === '')
      throw new UsageError(`Invalid --security-opt: ${JSON.stringify(opt)}`);
    if (key !== 'seccomp' || value === 'unconfined' || value === 'builtin') return opt;
    let text: string;
    try {
      text = readFile(value);
    } catch (err) {
      throw new UsageError(`opening seccomp profile (${value}) failed: ${(err as Error).message}`);
    }
    try {
      return `seccomp=${JSON.stringify(JSON.parse(text))}`;
    } catch (err) {
      throw new UsageError(
        `compacting json for seccomp profile (${value}) failed: ${(err as Error).message}`,
      );
    }
  });
}
