/** `tscompose --version` as oclif prints it (its `config.userAgent`), without loading oclif. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** oclif names the platform `wsl` under WSL: there the answer is left to oclif. */
function maybeWsl(): boolean {
  if (os.release().toLowerCase().includes('microsoft')) return true;
  try {
    return fs.readFileSync('/proc/version', 'utf8').toLowerCase().includes('microsoft');
  } catch {
    return false;
  }
}

export function userAgent(): string | undefined {
  if (maybeWsl()) return undefined;
  const pkg = path.resolve(__dirname, '..', '..', '..', '..', 'package.json');
  const { name, version } = JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name: string; version?: string };
  const arch = os.arch() === 'ia32' ? 'x86' : os.arch();
  return `${name}/${version || '0.0.0'} ${os.platform()}-${arch} node-${process.version}`;
}
