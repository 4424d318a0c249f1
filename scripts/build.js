#!/usr/bin/env node
// Build: precompile the compose-spec and Engine API body validators (ajv standalone; compiling
// a schema at run time costs ~135 ms per command or daemon start), compile TypeScript, record the build id (walking the
// compiled files costs every command 3–10 ms), write the oclif manifest.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
require('./gen-validator.js').generate(root);
require('./gen-api-validators.js').generate(root);
try {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', root], {
    stdio: 'inherit',
    cwd: root,
  });
} finally {
  // tsc writes its output even when it reports errors: that is a new build too.
  const connect = path.join(root, 'dist', 'src', 'engine-api', 'connect.js');
  if (fs.existsSync(connect)) require(connect).recordBuildId();
}
require('./gen-manifest.js')
  .generate(root)
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
