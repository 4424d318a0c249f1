/**
 * Engine tests outside a network namespace of their own must not add links or routes to the
 * machine: their engines get `"default-network": "none"` (an engine.json of their own) unless a
 * test names another config. Network tests (`*.netns.test.ts`) name their networks.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let file: string | undefined;

/** A config file with `extra` and the loopback-only default; removed when the process exits. */
export function loopbackOnlyConfig(): string {
  if (file) return file;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-config-'));
  file = path.join(dir, 'engine.json');
  fs.writeFileSync(file, JSON.stringify({ 'default-network': 'none' }));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return file;
}
