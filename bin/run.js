#!/usr/bin/env node
// Docker compose users put global flags before the command (`tscompose -f a.yml up`); oclif
// wants them after the command id, so the argv is reordered before oclif sees it. Errors are
// printed by our own handler: one line, no stack, docker compose's exit codes.
const { reorderGlobalFlags } = require('../dist/src/cli/argv.js');
const { run, flush } = require('@oclif/core');

run(reorderGlobalFlags(process.argv.slice(2)), __dirname)
  .then(() => flush())
  .catch((err) => require('../dist/src/cli/fail.js').fail(err));
