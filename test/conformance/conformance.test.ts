/**
 * Runs every case of the conformance corpus (and of our own local cases) strictly, and prints
 * how many cases ran.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { parseDotenv } from '../../src/compose-model/dotenv';
import { checkCase, ROOTS, type CaseSpec } from './harness';

let folders = 0;
let rows = 0;

for (const root of ROOTS) {
  if (!fs.existsSync(root)) continue;
  describe(path.basename(root), () => {
    for (const name of fs.readdirSync(root).sort()) {
      const dir = path.join(root, name);
      const specFile = path.join(dir, 'case.yaml');
      if (!fs.existsSync(specFile)) continue;
      const c = YAML.parse(fs.readFileSync(specFile, 'utf8')) as CaseSpec;
      folders += 1;
      if (c.kind === 'dotenv-table') {
        const table = JSON.parse(fs.readFileSync(path.join(dir, 'cases.json'), 'utf8')) as {
          input: string;
          key: string;
          value: string;
        }[];
        describe(name, () => {
          table.forEach((row, i) => {
            rows += 1;
            test(`row ${i}: ${JSON.stringify(row.input)}`, () => {
              const vars = parseDotenv(row.input, path.join(dir, '.env'), () => undefined);
              assert.equal(vars[row.key], row.value);
            });
          });
        });
      } else {
        test(name, () => checkCase(dir, c));
      }
    }
  });
}

after(() => {
  console.log(`conformance: ${folders} case folders and ${rows} table rows ran (${folders - 1 + rows} cases)`);
});
