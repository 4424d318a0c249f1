// The layer rules of ARCHITECTURE.md are enforced by `npm run check` through ESLint: an import
// a layer's row does not allow fails the lint, the allowed ones and the named exceptions pass.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const root = path.resolve(__dirname, '..', '..', '..');

async function layerErrors(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.filter((m) => m.ruleId === 'tscompose/layers').map((m) => m.message);
}

test('an import across the layers fails the lint, naming both layers', async () => {
  const cases: [string, string, RegExp][] = [
    [
      'src/common/zz-probe.ts',
      "import { enginePaths } from '../engine-api/paths';",
      /src\/common may not import src\/engine-api/,
    ],
    [
      'src/engine-api/zz-probe.ts',
      "import { withLock } from '../platform/linux/file-lock';",
      /may not import src\/platform/,
    ],
    ['src/compose-model/zz-probe.ts', "export { x } from '../engine/engine';", /may not import src\/engine /],
    [
      'src/platform/linux/zz-probe.ts',
      "const m = require('../../engine/paths');",
      /src\/platform may not import/,
    ],
    [
      'src/commands/zz-probe.ts',
      "type T = typeof import('../engine/daemon');",
      /src\/commands may not import src\/engine/,
    ],
    ['src/planner/zz-probe.ts', "import('../cli/output');", /src\/planner may not import src\/cli/],
  ];
  for (const [file, code, message] of cases) {
    const errors = await layerErrors(file, `${code}\nexport {};\n`);
    assert.equal(errors.length, 1, `${file}: ${code} → ${JSON.stringify(errors)}`);
    assert.match(errors[0], message);
  }
});

test('imports the rows allow, inside a layer, of packages and the named exceptions pass', async () => {
  const cases: [string, string][] = [
    ['src/engine/zz-probe.ts', "import { NotFoundError } from '../common/errors';"],
    ['src/engine/zz-probe.ts', "import type { EngineApi } from '../engine-api/engine-api';"],
    ['src/cli/zz-probe.ts', "import { parseReference } from '../common/image-reference';"],
    ['src/planner/zz-probe.ts', "import type { Project } from '../compose-model/project';"],
    ['src/common/zz-probe.ts', "import fs from 'node:fs';\nimport { parse } from 'yaml';"],
    ['src/engine-api/connect.ts', "const l = require('../platform/linux/file-lock');"],
    ['src/commands/engine/zz-probe.ts', "const d = require('../../engine/daemon');"],
  ];
  for (const [file, code] of cases)
    assert.deepEqual(await layerErrors(file, `${code}\nexport {};\n`), [], `${file}: ${code}`);
});
