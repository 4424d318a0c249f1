import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { readEngineConfig } from '../../../src/engine/engine-config';

test('"default-network" in engine.json: a network name, anything else refused in one line', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tscompose-defnet-'));
  try {
    const file = path.join(dir, 'engine.json');
    const read = () => readEngineConfig({ TSCOMPOSE_CONFIG: file });
    fs.writeFileSync(file, JSON.stringify({ 'default-network': 'none' }));
    assert.equal(read()['default-network'], 'none');
    for (const bad of [7, '', 'a b', '../x', ['bridge']]) {
      fs.writeFileSync(file, JSON.stringify({ 'default-network': bad }));
      assert.throws(read, /"default-network" must be a network name/);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
