#!/usr/bin/env node
// Build: precompile the compose-spec validator (ajv standalone; compiling the schema at run
// time costs ~135 ms per command), compile TypeScript, write the oclif manifest.
'use strict';
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
require('./gen-validator.js').generate(root);
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', root], {
  stdio: 'inherit',
  cwd: root,
});
require('./gen-manifest.js')
  .generate(root)
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
