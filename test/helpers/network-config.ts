/**
 * Engine tests outside a network namespace of their own must not add links or routes to the
 * machine: their engines get `"default-network": "none"` (an engine.json of their own) unless a
 * test names another config. Network tests (`*.netns.test.ts`) name their networks.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const files = new Map<string, string>();

/** A config file with `settings`, made once per process and removed when the process exits. */
function configFile(settings: Record<string, unknown>): string {
  const text = JSON.stringify(settings);
  const had = files.get(text);
  if (had) return had;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-config-'));
  const file = path.join(dir, 'engine.json');
  fs.writeFileSync(file, text);
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  files.set(text, file);
  return file;
}

/** The loopback-only default. */
export function loopbackOnlyConfig(): string {
  return configFile({ 'default-network': 'none' });
}

/** The default `bridge` network as the default, as docker has it (for *.netns tests). */
export function defaultBridgeConfig(): string {
  return configFile({ 'default-network': 'bridge' });
}
