#!/usr/bin/env node
// Docker compose users put global flags before the command (`tscompose -f a.yml up`); oclif
// wants them after the command id, so the argv is reordered before oclif sees it.
const { reorderGlobalFlags } = require('../dist/src/cli/argv.js');
const { execute } = require('@oclif/core');

execute({ dir: __dirname, args: reorderGlobalFlags(process.argv.slice(2)) }).catch((err) => {
  require('../dist/src/cli/fail.js').fail(err);
});
